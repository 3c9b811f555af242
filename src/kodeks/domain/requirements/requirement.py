"""A common requirement (*fælleskommunal kravbeskrivelse*): one well-formed, reusable requirement.

A requirement has an id (``ARK-001``), numbered versions, and the governance states of a change set
(``kodeks.domain.governance.changeset.State``): a version is written as a draft, submitted, approved
and published; published versions are frozen, and a new draft is the next version number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from kodeks.domain.governance.changeset import State

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_CODE = re.compile(r"^[^\s]{1,200}$")
MAX_TITLE = 300
MAX_TEXT = 10_000
MAX_LIST = 50


class Priority(StrEnum):
    MUST = "must"  # skal
    SHOULD = "should"  # bør


PRIORITY_DA = {Priority.MUST: "Skal", Priority.SHOULD: "Bør"}


class Verification(StrEnum):
    DOCUMENTATION = "documentation"  # dokumentation
    DEMONSTRATION = "demonstration"  # fremvisning
    TEST = "test"  # afprøvning
    INSPECTION = "inspection"  # inspektion / gennemgang


VERIFICATION_DA = {
    Verification.DOCUMENTATION: "Dokumentation",
    Verification.DEMONSTRATION: "Fremvisning",
    Verification.TEST: "Afprøvning",
    Verification.INSPECTION: "Gennemgang",
}


class RefKind(StrEnum):
    CLASSIFICATION = "classification"  # a classification (``kle``) or one of its codes (``kle:27.24``)
    CATALOG = "catalog"  # a catalog entry (a classification Kodeks links to)
    MODEL = "model"  # an information model
    SYSAP = "sysap"  # a SYS-AP property (``sysap:ansvarligOrganisation``)
    STANDARD = "standard"  # any other named standard (``OIO-REST``, ``OpenAPI 3``)
    URL = "url"


@dataclass(frozen=True, slots=True)
class Reference:
    """What a requirement points to: ``kind`` and ``target`` (for a classification: ``id`` or ``id:code``)."""

    kind: RefKind
    target: str
    note: str = ""

    def __post_init__(self) -> None:
        if not self.target.strip() or len(self.target) > 500 or any(ch in self.target for ch in "\r\n\t"):
            raise ValueError("a reference target must be 1-500 characters on one line")
        if len(self.note) > 1000:
            raise ValueError("a reference note must be at most 1,000 characters")
        if self.kind is RefKind.URL and not self.target.startswith(("https://", "http://")):
            raise ValueError(f"a url reference must start with http:// or https://, not {self.target[:40]!r}")

    @property
    def classification(self) -> tuple[str, str | None]:
        """A classification reference as ``(classification id, code or None)``."""
        cid, _, code = self.target.partition(":")
        return cid, code or None


@dataclass(frozen=True, slots=True)
class Requirement:
    """One version of a requirement. ``principles`` are codes of the principles classification
    (``fda-principper``: ``2.1``); ``owner`` is the organisation that governs it."""

    id: str
    title: str
    text: str
    owner: str
    rationale: str = ""
    principles: tuple[str, ...] = ()
    category: str = "Arkitektur"
    priority: Priority = Priority.MUST
    verification: Verification = Verification.DOCUMENTATION
    references: tuple[Reference, ...] = ()
    use_cases: tuple[str, ...] = ()
    version: int = 1
    state: State = State.DRAFT
    author: str | None = None
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"requirement id {self.id[:70]!r} must be 1-64 letters, digits, '.', '_' or '-'")
        _text("title", self.title, MAX_TITLE, one_line=True)
        _text("text", self.text, MAX_TEXT)
        if len(self.rationale) > MAX_TEXT:
            raise ValueError(f"rationale must be at most {MAX_TEXT:,} characters")
        _text("category", self.category, 100, one_line=True)
        if not ID_PATTERN.match(self.owner):
            raise ValueError("owner must be an organisation id")
        for name, values in (("principles", self.principles), ("references", self.references)):
            if len(values) > MAX_LIST:
                raise ValueError(f"at most {MAX_LIST} {name}")
        if len(self.use_cases) > MAX_LIST:
            raise ValueError(f"at most {MAX_LIST} use cases")
        for code in self.principles:
            if not _CODE.match(code):
                raise ValueError(f"principle {code[:40]!r} must be a code")
        if len(set(self.principles)) != len(self.principles):
            raise ValueError("a principle is named twice")
        for case in self.use_cases:
            _text("use case", case, 2000)
        if self.version < 1:
            raise ValueError("version numbers start at 1")

    @property
    def frozen(self) -> bool:
        return self.state in (State.PUBLISHED, State.REJECTED)


def _text(name: str, value: str, limit: int, *, one_line: bool = False) -> None:
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{name} must be at most {limit:,} characters")
    if one_line and any(ch in value for ch in "\r\n"):
        raise ValueError(f"{name} must be one line")
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in value):
        raise ValueError(f"{name} contains control characters")
