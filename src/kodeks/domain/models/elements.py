"""The elements of an information model: packages, classes, attributes, associations, ...

Every element has the id its source gave it (EA's ``EAID_…``), kept so an export re-imports into the
same element. ``tags`` are the tagged values (the FDA profile's ``definition (da)``, ``URI``, ...) in
the order the source gave them; ``stereotypes`` are the stereotype names (``ModelElement``,
``DKObjekttype``, ``hovedklasse``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Lit

Tags = tuple[tuple[str, str], ...]
ClassKind = Lit["class", "enumeration", "datatype", "primitive"]
CLASS_KINDS: tuple[ClassKind, ...] = ("class", "enumeration", "datatype", "primitive")


@dataclass(frozen=True, slots=True)
class Multiplicity:
    """``lower..upper``; ``upper`` ``None`` is unbounded (``*``)."""

    lower: int = 1
    upper: int | None = 1

    def __post_init__(self) -> None:
        if self.lower < 0 or (self.upper is not None and self.upper < self.lower):
            raise ValueError(f"invalid multiplicity {self.lower}..{self.upper}")

    def __str__(self) -> str:
        upper = "*" if self.upper is None else str(self.upper)
        return upper if str(self.lower) == upper else f"{self.lower}..{upper}"

    @classmethod
    def parse(cls, text: str) -> Multiplicity:
        """``"1"``, ``"0..1"``, ``"1..*"``, ``"*"``; ``ValueError`` otherwise."""
        text = text.strip()
        low, sep, high = text.partition("..")
        if not sep:
            high = low
            low = "0" if low == "*" else low
        try:
            lower = int(low)
            upper = None if high.strip() == "*" else int(high)
        except ValueError:
            raise ValueError(f"invalid multiplicity {text!r}") from None
        return cls(lower, upper)


def tag(tags: Tags, name: str) -> str:
    """The first non-empty value of the tag ``name`` ('' when absent)."""
    for key, value in tags:
        if key == name and value:
            return value
    return ""


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute; ``type_ref`` is the id of the model's class it is typed by (else ``type_name``)."""

    id: str
    name: str
    type_name: str = ""
    type_ref: str | None = None
    multiplicity: Multiplicity | None = None
    definition: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class EnumLiteral:
    id: str
    name: str
    definition: str = ""
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class ModelClass:
    """A class, enumeration, data type or primitive type of the model."""

    id: str
    name: str
    package: str | None = None
    kind: ClassKind = "class"
    abstract: bool = False
    definition: str = ""
    alias: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()
    attributes: tuple[Attribute, ...] = ()
    literals: tuple[EnumLiteral, ...] = ()


@dataclass(frozen=True, slots=True)
class AssociationEnd:
    """One end of an association: the element it reaches (a class, concept or instance), its role
    name, multiplicity and the tags of the role (the FDA profile tags a role like an attribute)."""

    id: str
    class_id: str
    role: str = ""
    multiplicity: Multiplicity | None = None
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class Association:
    """From ``source`` to ``target`` (EA's direction); ``target.role`` names what the source holds."""

    id: str
    source: AssociationEnd
    target: AssociationEnd
    name: str = ""
    package: str | None = None
    definition: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class Generalization:
    """``specific`` is a kind of ``general`` (class ids)."""

    id: str
    specific: str
    general: str


@dataclass(frozen=True, slots=True)
class Package:
    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept (begreb) with its definition and where the definition comes from (``source``)."""

    id: str
    name: str
    package: str | None = None
    definition: str = ""
    source: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class Instance:
    """An instance (UML InstanceSpecification): e.g. a category of a classification modelled as an
    individual of its classification class."""

    id: str
    name: str
    classifier: str | None = None
    package: str | None = None
    definition: str = ""
    stereotypes: tuple[str, ...] = ()
    tags: Tags = ()
