"""A classification: the thing that has versions, levels and items (KLE, FSIII, DB07, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kodeks.domain.codes import CodeOrder
from kodeks.domain.language import shown_title

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

BASE_URI = "https://kodeks.dk/id/"


def is_slug(value: str) -> bool:
    return bool(_SLUG.match(value))


def classification_uri(slug: str) -> str:
    return f"{BASE_URI}{slug}"


@dataclass(frozen=True, slots=True)
class Classification:
    """Metadata of a classification. ``id`` is a slug such as ``kle`` or ``db07``.

    ``titles`` maps a language tag (``da``, ``en``) to a title. ``copyrighted`` marks content whose
    owner restricts redistribution (KLE is copyright KL), which later governs public read access.
    ``owner`` is the organisation that administers it (KL, a municipality code such as ``751``, ...).
    """

    id: str
    titles: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    owner: str | None = None
    publisher: str | None = None
    licence: str | None = None
    copyrighted: bool = False
    source_uri: str | None = None
    uri: str | None = None
    code_order: CodeOrder = CodeOrder.NATURAL

    def __post_init__(self) -> None:
        if not is_slug(self.id):
            raise ValueError(f"classification id {self.id!r} is not a slug (a-z, 0-9, '-')")

    @property
    def canonical_uri(self) -> str:
        return self.uri or classification_uri(self.id)

    def title(self, lang: str = "da") -> str:
        """The title in ``lang``, else Danish, else English, else the first, else the id."""
        shown = shown_title(self.titles, lang)
        return shown[1] if shown else self.id
