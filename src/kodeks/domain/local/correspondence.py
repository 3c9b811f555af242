"""Correspondence tables: how the codes of one classification map to another's.

A correspondence compares a *source* and a *target* (a classification, optionally one version and
one level) and holds mappings ``source code → target code``. One source code may map to several
targets (1:n), several sources to one target (n:1), or both (n:m). A mapping may be *partial*
(ILO marks these ``p``: only part of the source corresponds to the target), and a source code may
have *no counterpart* (``target=None``; FORM's "Ikke med i KLE").

:meth:`Correspondence.inverted` swaps the sides; mappings without a counterpart say nothing about
the target classification and are left out of the inverse.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from kodeks.domain.classification import is_slug
from kodeks.domain.local.municipalities import owner_problem
from kodeks.domain.local.notation import code_problem
from kodeks.domain.period import ALWAYS, Period

MAX_MAPPINGS = 500_000


@dataclass(frozen=True, slots=True)
class Side:
    classification: str
    version: str | None = None
    level: int | None = None

    def describe(self) -> str:
        parts = [self.classification]
        if self.version:
            parts.append(f"version {self.version}")
        if self.level is not None:
            parts.append(f"level {self.level}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Mapping:
    source: str
    target: str | None
    partial: bool = False
    note: str | None = None
    source_title: str | None = None
    target_title: str | None = None

    def inverted(self) -> Mapping:
        assert self.target is not None
        return Mapping(
            self.target, self.source, self.partial, self.note, self.target_title, self.source_title
        )


@dataclass(frozen=True, slots=True)
class Correspondence:
    id: str
    source: Side
    target: Side
    titles: dict[str, str] = field(default_factory=dict)
    owner: str | None = None
    description: str | None = None
    valid: Period = ALWAYS
    origin: str | None = None
    mappings: tuple[Mapping, ...] = ()

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.id)

    def inverted(self, new_id: str) -> Correspondence:
        titles = {lang: f"{t} (inverted)" for lang, t in self.titles.items()}
        return replace(
            self,
            id=new_id,
            source=self.target,
            target=self.source,
            titles=titles,
            mappings=tuple(m.inverted() for m in self.mappings if m.target is not None),
        )


def correspondence_problems(c: Correspondence) -> list[str]:
    problems: list[str] = []
    if not is_slug(c.id):
        problems.append(f"correspondence id {c.id!r} is not a slug (a-z, 0-9, '-')")
    for side, name in ((c.source, "source"), (c.target, "target")):
        if not is_slug(side.classification):
            problems.append(f"{name} classification {side.classification!r} is not a classification id")
    if c.owner is not None and owner_problem(c.owner):
        problems.append(owner_problem(c.owner) or "")
    if len(c.mappings) > MAX_MAPPINGS:
        return [*problems, f"a correspondence holds at most {MAX_MAPPINGS:,} mappings"]
    if not c.mappings:
        problems.append("the correspondence has no mappings")
    for m in c.mappings:
        for code in (m.source, m.target):
            bad = code_problem(code) if code is not None else None
            if bad:
                problems.append(bad)
                break
    return problems


def merge_duplicates(mappings: Iterable[Mapping]) -> tuple[list[Mapping], int]:
    """Mappings with each (source, target) pair once, and how many lines were merged into another.

    The first line of a pair is kept; a later line's different note is added to it (``note 1 | note 2``:
    tables list a pair twice when it holds for two reasons), and so are titles the first line lacks
    and ``partial`` when either line says so. A source with a counterpart elsewhere loses its
    "no counterpart" line.
    """
    kept: dict[tuple[str, str | None], int] = {}
    out: list[Mapping] = []
    dropped = 0
    listed = list(mappings)
    has_target = {m.source for m in listed if m.target is not None}
    for m in listed:
        key = (m.source, m.target)
        if m.target is None and m.source in has_target:
            dropped += 1
            continue
        if key in kept:
            dropped += 1
            first = out[kept[key]]
            notes = [n for n in (first.note or "").split(NOTE_SEPARATOR) if n]
            if m.note and m.note not in notes:
                notes.append(m.note)
            out[kept[key]] = replace(
                first,
                partial=first.partial or m.partial,
                note=NOTE_SEPARATOR.join(notes) or None,
                source_title=first.source_title or m.source_title,
                target_title=first.target_title or m.target_title,
            )
            continue
        kept[key] = len(out)
        out.append(m)
    return out, dropped


NOTE_SEPARATOR = " | "


def cardinality(targets_of_source: Sequence[str | None], sources_per_target: dict[str, int]) -> str:
    """``1:0`` (no counterpart), ``1:1``, ``1:n``, ``n:1`` or ``n:m`` for one source code."""
    targets = [t for t in targets_of_source if t is not None]
    if not targets:
        return "1:0"
    shared = any(sources_per_target.get(t, 1) > 1 for t in targets)
    if len(targets) == 1:
        return "n:1" if shared else "1:1"
    return "n:m" if shared else "1:n"


def summary(mappings: Sequence[Mapping]) -> dict[str, int]:
    """Counts: mappings, source and target codes, partial, without counterpart, and per cardinality."""
    targets: dict[str, list[str | None]] = defaultdict(list)
    for m in mappings:
        targets[m.source].append(m.target)
    per_target = Counter(m.target for m in mappings if m.target is not None)
    kinds = Counter(cardinality(ts, dict(per_target)) for ts in targets.values())
    return {
        "mappings": len(mappings),
        "source_codes": len(targets),
        "target_codes": len(per_target),
        "partial": sum(1 for m in mappings if m.partial),
        "no_counterpart": sum(1 for ts in targets.values() if not any(t is not None for t in ts)),
        **{f"cardinality {k}": v for k, v in sorted(kinds.items())},
    }


def valid_problem(c: Correspondence, at: date) -> str | None:
    if c.valid.contains(at):
        return None
    return f"correspondence {c.id} is valid {c.valid}, not on {at.isoformat()}"
