"""Errors raised by the privacy package.

Every error is a :class:`PrivacyError`, which subclasses the project-wide ``KodeksError`` when
``kodeks.errors`` is available. Each class carries a stable ``code`` used by the CLI (exit code) and the API
(JSON error shape). Messages never contain key material.

    PrivacyError
    ├── ConfigError            bad or inconsistent configuration (roles, models, options)
    │   ├── ColumnError        a named column is missing from the data or unknown to the config
    │   └── SearchSpaceTooLarge  too many generalization levels for global recoding
    ├── HierarchyError         a generalization hierarchy is malformed
    │   ├── HierarchyCoverageError   the hierarchy does not cover a value present in the data
    │   └── NonMonotoneHierarchyError  a value generalizes to two different parents / ragged heights
    ├── InputError             unreadable, empty, wrongly delimited or wrongly encoded input
    ├── UnsatisfiableError     no transformation satisfies the privacy models (e.g. k larger than the data)
    ├── KeyMaterialError       missing, unreadable or too short pseudonymisation key
    ├── CprError               a value is not a valid CPR number
    └── VerificationError      the released data does not satisfy the declared models
"""

from __future__ import annotations

from kodeks.errors import KodeksError


class PrivacyError(KodeksError):
    """Base class of every privacy error."""

    code = "privacy_error"
    status = 422


class ConfigError(PrivacyError):
    code = "privacy_config"
    status = 400


class SearchSpaceTooLarge(ConfigError):
    """The generalization lattice is too large for global recoding (``recoding: auto`` then uses Mondrian)."""


class ColumnError(ConfigError):
    code = "privacy_column"
    status = 400


class HierarchyError(PrivacyError):
    code = "privacy_hierarchy"
    status = 422


class HierarchyCoverageError(HierarchyError):
    code = "privacy_hierarchy_coverage"
    status = 422


class NonMonotoneHierarchyError(HierarchyError):
    code = "privacy_hierarchy_not_monotone"
    status = 422


class InputError(PrivacyError):
    code = "privacy_input"
    status = 422


class UnsatisfiableError(PrivacyError):
    code = "privacy_unsatisfiable"
    status = 422


class KeyMaterialError(PrivacyError):
    code = "privacy_key"
    status = 400


class CprError(PrivacyError):
    code = "privacy_cpr"
    status = 422


class VerificationError(PrivacyError):
    code = "privacy_verification"
    status = 500
