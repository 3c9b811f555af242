"""Typed contexts of the requirement and screening pages."""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.domain.requirements.answers import Comparison
from kodeks.domain.requirements.requirement import Requirement
from kodeks.domain.requirements.tender import Line, RequirementSet
from kodeks.domain.screening.questionnaire import Questionnaire
from kodeks.services.screening.ports import Screening
from kodeks.web.contexts import Link, PageMeta


@dataclass(frozen=True, slots=True)
class RequirementListPage:
    meta: PageMeta
    q: str
    principle: str
    principles: tuple[tuple[str, str], ...]  # (code, "code title")
    requirements: tuple[Requirement, ...]
    sets: tuple[RequirementSet, ...]
    action: str


@dataclass(frozen=True, slots=True)
class RequirementPage:
    meta: PageMeta
    requirement: Requirement
    principles: tuple[tuple[str, str], ...]
    references: tuple[Link | str, ...]
    versions: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class UploadForm:
    """The form that imports a supplier's filled-in workbook (shown to editors of the set's owner)."""

    action: str
    csrf: str


@dataclass(frozen=True, slots=True)
class RequirementSetPage:
    meta: PageMeta
    requirement_set: RequirementSet
    lines: tuple[Line, ...]
    downloads: tuple[Link, ...]
    comparison: Comparison | None  # None: the reader may not see the answers
    upload: UploadForm | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class ScreeningFormPage:
    meta: PageMeta
    questionnaire: Questionnaire | None
    action: str
    screenings: tuple[Screening, ...]


@dataclass(frozen=True, slots=True)
class ScreeningResultPage:
    meta: PageMeta
    screening: Screening
    questionnaire: Questionnaire
    answers: tuple[tuple[str, str], ...]  # (question, the chosen option's label)
    requirement_sets: tuple[Link | str, ...]
    classifications: tuple[Link | str, ...]


@dataclass(frozen=True, slots=True)
class ScreeningComparisonPage:
    """Screenings side by side: one column per screening, one row per question (answer labels)."""

    meta: PageMeta
    screenings: tuple[Screening, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (question, the answer of each screening)
