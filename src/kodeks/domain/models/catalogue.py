"""Model catalogue entries: what DIGST's model catalogue says about a model (and what Kodeks says
about the models it holds), in the catalogue's own vocabulary: model type, scope, modelling regime,
status and approval status are URIs of its SKOS classifications."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

#: The catalogue's vocabulary fields and DIGST's SKOS classification each takes its values from: the
#: concept scheme's URI (``rdf:about`` in ``digst_<name>.rdf``) and the id the registry gives the file
#: by its ``dct:identifier`` (found by that when the scheme states a ``dct:source`` of its own, as the
#: model-status scheme does). DIGST's catalogue has no modelling level of its own; its model scope (core
#: or application model) is the level it states.
VOCABULARIES = {
    "model_type": ("https://data.gov.dk/concept/core/modeltype#ModelTypes", "modeltyper"),
    "model_scope": ("https://data.gov.dk/model/core/modelscope#ModelScopes", "modelomfang"),
    "modelling_regime": (
        "https://data.gov.dk/model/core/modellingregime#ModellingRegimes",
        "modelleringsregimer",
    ),
    "status": ("https://data.gov.dk/model/core/modelstatus#ModelStatuses", "modelstatusser"),
    "approval_status": (
        "https://data.gov.dk/model/core/approvalstatus#ApprovalStatuses",
        "godkendelsessstatusser",
    ),
}


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


def entry_key(uri: str) -> str:
    """A short, stable key for an entry (its page's path segment): 12 hex digits of its URI's SHA-256."""
    return hashlib.sha256(uri.encode()).hexdigest()[:12]


def local_name(uri: str) -> str:
    """The part of a vocabulary value's URI after its last ``#`` or ``/`` (the concept's code)."""
    return re.split(r"[#/]", uri.rstrip("/#"))[-1]
