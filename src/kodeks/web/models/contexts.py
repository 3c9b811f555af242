"""Typed contexts of the information-model pages (the tests assert on these, not only on HTML)."""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.web.contexts import Link, PageMeta


@dataclass(frozen=True, slots=True)
class ModelRow:
    id: str
    name: str
    href: str
    version: int
    kind: str
    counts: dict[str, int]
    status: str = "draft"


@dataclass(frozen=True, slots=True)
class HitRow:
    kind: str
    name: str
    href: str
    model_name: str
    definition: str


@dataclass(frozen=True)
class ModelsPage:
    meta: PageMeta
    labels: dict[str, str]
    models: tuple[ModelRow, ...]
    q: str
    hits: tuple[HitRow, ...]
    classification_hits: tuple[HitRow, ...]
    catalogue_href: str = "/modeller/katalog"
    catalogue_entries: int = 0  # entries of the imported model catalogue


@dataclass(frozen=True, slots=True)
class PackageRow:
    depth: int
    name: str
    href: str
    classes: int


@dataclass(frozen=True)
class ModelPage:
    meta: PageMeta
    labels: dict[str, str]
    id: str
    name: str
    version: int
    label: str
    kind: str
    description: str
    counts: dict[str, int]
    packages: tuple[PackageRow, ...]
    versions: tuple[tuple[int, str, str], ...]
    findings: dict[str, int]
    exports: tuple[Link, ...]
    status: str = "draft"  # draft, review or published (the labels name it, its model and approval status)
    status_by: str | None = None


@dataclass(frozen=True, slots=True)
class ClassRow:
    name: str
    href: str
    kind: str
    stereotypes: str
    definition: str
    attributes: int


@dataclass(frozen=True)
class PackagePage:
    meta: PageMeta
    labels: dict[str, str]
    model_id: str
    name: str
    definition: str
    classes: tuple[ClassRow, ...]
    concepts: tuple[tuple[str, str, str], ...]
    instances: tuple[tuple[str, str], ...]
    subpackages: tuple[Link, ...]
    svg: str | None  # the diagram (Graphviz SVG), None when Graphviz is missing
    diagram_href: str


@dataclass(frozen=True, slots=True)
class AttributeRow:
    name: str
    type_name: str
    type_href: str | None
    multiplicity: str
    definition: str
    binding: str


@dataclass(frozen=True)
class ClassPage:
    meta: PageMeta
    labels: dict[str, str]
    id: str
    name: str
    kind: str
    stereotypes: str
    definition: str
    alias: str
    attributes: tuple[AttributeRow, ...]
    outgoing: tuple[tuple[str, Link, str], ...]
    incoming: tuple[tuple[str, Link, str], ...]
    supertypes: tuple[Link, ...]
    subtypes: tuple[Link, ...]
    literals: tuple[tuple[str, str], ...]
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class VocabularyCell:
    """A vocabulary value as shown: its label, and the registry item that holds it (else ``None``)."""

    label: str
    uri: str
    href: str | None


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    title: str
    href: str
    model_type: VocabularyCell
    model_scope: VocabularyCell
    modelling_regime: VocabularyCell
    status: VocabularyCell
    approval_status: VocabularyCell
    publisher: str


@dataclass(frozen=True)
class CataloguePage:
    meta: PageMeta
    labels: dict[str, str]
    entries: tuple[CatalogueRow, ...]
    vocabularies: tuple[Link, ...]  # the registry classifications the values are linked to
    feed: str  # the catalogue as DCAT


@dataclass(frozen=True)
class CatalogueEntryPage:
    meta: PageMeta
    labels: dict[str, str]
    uri: str
    title: str
    titles: tuple[tuple[str, str], ...]
    descriptions: tuple[tuple[str, str], ...]
    facts: tuple[tuple[str, VocabularyCell], ...]  # label key, value
    publisher: str
    landing_page: str
    version: str
    issued: str
    keywords: tuple[str, ...]
