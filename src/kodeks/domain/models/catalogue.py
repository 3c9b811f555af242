"""Model catalogue entries: what DIGST's model catalogue says about a model (and what Kodeks says
about the models it holds), in the catalogue's own vocabulary: model type, scope, modelling regime,
status and approval status are URIs of its SKOS classifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    uri: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    model_type: str = ""
    model_scope: str = ""
    modelling_regime: str = ""
    status: str = ""
    approval_status: str = ""
    publisher: str = ""
    landing_page: str = ""
    version: str = ""
    issued: str = ""
    keywords: tuple[str, ...] = ()
    model_id: str = ""  # the model Kodeks holds, when the entry describes one

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or self.titles.get("da") or next(iter(self.titles.values()), self.uri)


_TEXT = (
    "uri",
    "model_type",
    "model_scope",
    "modelling_regime",
    "status",
    "approval_status",
    "publisher",
    "landing_page",
    "version",
    "issued",
    "model_id",
)


def entry_to_dict(entry: CatalogueEntry) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(entry, k) for k in _TEXT if getattr(entry, k)}
    out["titles"] = dict(entry.titles)
    if entry.descriptions:
        out["descriptions"] = dict(entry.descriptions)
    if entry.keywords:
        out["keywords"] = list(entry.keywords)
    return out


def entry_from_dict(data: dict[str, Any]) -> CatalogueEntry:
    if not isinstance(data, dict) or not isinstance(data.get("uri"), str):
        raise ValueError("a catalogue entry needs a uri")
    texts = {k: data.get(k, "") for k in _TEXT}
    if not all(isinstance(v, str) for v in texts.values()):
        raise ValueError("catalogue entry fields must be strings")
    maps = {k: data.get(k, {}) for k in ("titles", "descriptions")}
    if not all(isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in maps.values()):
        raise ValueError("titles and descriptions map languages to strings")
    keywords = data.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ValueError("keywords must be strings")
    return CatalogueEntry(
        **texts,
        titles=dict(maps["titles"]),
        descriptions=dict(maps["descriptions"]),
        keywords=tuple(keywords),
    )
