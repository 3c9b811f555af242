"""Errors raised by the privacy package.

Every error is a :class:`PrivacyError`, which subclasses the project-wide ``KodeksError`` when
``kodeks.errors`` is available. Each class carries a stable ``code`` used by the CLI (exit code) and the API
(JSON error shape). Messages never contain key material.

    PrivacyError
    ├── ConfigError            bad or inconsistent configuration (roles, models, options)
    │   └── ColumnError        a named column is missing from the data or unknown to the config
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

try:
    from kodeks.errors import KodeksError as _Base
except ImportError:  # pragma: no cover - used until the registry core defines kodeks.errors

    class _Base(Exception):  # type: ignore[no-redef]
        code: str = "kodeks_error"


class PrivacyError(_Base):
    """Base class of every privacy error."""

    code = "privacy_error"


class ConfigError(PrivacyError):
    code = "privacy_config"


class ColumnError(ConfigError):
    code = "privacy_column"


class HierarchyError(PrivacyError):
    code = "privacy_hierarchy"


class HierarchyCoverageError(HierarchyError):
    code = "privacy_hierarchy_coverage"


class NonMonotoneHierarchyError(HierarchyError):
    code = "privacy_hierarchy_not_monotone"


class InputError(PrivacyError):
    code = "privacy_input"


class UnsatisfiableError(PrivacyError):
    code = "privacy_unsatisfiable"


class KeyMaterialError(PrivacyError):
    code = "privacy_key"


class CprError(PrivacyError):
    code = "privacy_cpr"


class VerificationError(PrivacyError):
    code = "privacy_verification"
