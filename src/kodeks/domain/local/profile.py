"""Profiles: a municipality's specialization of a common classification.

A profile *selects* common codes (one code, or a code with its whole subtree; or everything with
``include_all``), gives some of them *local titles*, and adds *local codes* under common parents,
only in the ranges the owner of the common classification reserves (see ``ranges``). It is read
like a classification: :func:`compose` turns the common items valid on a date into the profile's
items on that date. Ancestors of what is selected come along as *context*, so the hierarchy stays
whole. Context and local items say so in ``properties["profile.origin"]`` (``context``,
``local``); a selected item is the common item itself, renamed where the profile gives a local title
(the common title is then kept in ``properties["profile.common_title"]``).

Every entry has its own validity (half-open dates): a selection can start when the municipality
starts using a code, a local code lives for the period it is used. A local code is shown only while
its parent is in the profile; when the parent expires upstream, :func:`affected` proposes the
successor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise

from kodeks.domain.classification import is_slug
from kodeks.domain.item import Item, item_uuid
from kodeks.domain.local.municipalities import owner_problem
from kodeks.domain.local.notation import code_problem, titles_problem
from kodeks.domain.local.ranges import ReservedRange, range_problem
from kodeks.domain.period import ALWAYS, Period

ORIGIN = "profile.origin"
COMMON_TITLE = "profile.common_title"
MAX_ENTRIES = 50_000


@dataclass(frozen=True, slots=True)
class Selection:
    """A common code the profile uses; ``subtree`` takes its descendants too; ``titles`` rename it."""

    code: str
    titles: dict[str, str] = field(default_factory=dict)
    subtree: bool = False
    valid: Period = ALWAYS


@dataclass(frozen=True, slots=True)
class LocalCode:
    """A code the municipality adds under ``parent`` (a common code, or another local code)."""

    code: str
    parent: str
    titles: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    valid: Period = ALWAYS


@dataclass(frozen=True, slots=True)
class Profile:
    """``based_on`` is the common valid date the profile was last aligned with (for :func:`affected`)."""

    id: str
    classification: str
    owner: str
    titles: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    include_all: bool = False
    based_on: date | None = None
    selections: tuple[Selection, ...] = ()
    local_codes: tuple[LocalCode, ...] = ()

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.id)

    def uri(self, classification_uri: str) -> str:
        return f"{classification_uri.rstrip('/')}/profiles/{self.id}"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str | None
    message: str


def profile_problems(
    profile: Profile, common: Mapping[str, Item], ranges: Sequence[ReservedRange]
) -> list[Problem]:
    """Why ``profile`` cannot be saved; empty when it can.

    ``common`` holds, per code of the common classification, its latest fact (any validity).
    """
    problems: list[Problem] = []
    if not is_slug(profile.id) or len(profile.id) > 40:
        problems.append(Problem(None, f"profile id {profile.id!r} is not a slug of at most 40 characters"))
    owner = owner_problem(profile.owner)
    if owner:
        problems.append(Problem(None, owner))
    if len(profile.selections) + len(profile.local_codes) > MAX_ENTRIES:
        problems.append(Problem(None, f"a profile holds at most {MAX_ENTRIES:,} entries"))
        return problems
    for code in [*(s.code for s in profile.selections), *(c.code for c in profile.local_codes)]:
        bad = code_problem(code)
        if bad:
            problems.append(Problem(code, bad))
    named: list[tuple[str | None, dict[str, str]]] = [(None, profile.titles)]
    named += [(s.code, s.titles) for s in profile.selections]
    named += [(c.code, c.titles) for c in profile.local_codes]
    for owner_code, titles in named:
        bad_title = titles_problem(titles)
        if bad_title:
            problems.append(Problem(owner_code, bad_title))
    if problems:
        return problems
    problems += _overlaps([(s.code, s.valid) for s in profile.selections], "selected")
    problems += _overlaps([(c.code, c.valid) for c in profile.local_codes], "local")
    selected = {s.code for s in profile.selections}
    for s in profile.selections:
        if s.code not in common:
            problems.append(Problem(s.code, f"{s.code!r} is not a code of {profile.classification}"))
    local = {c.code: c for c in profile.local_codes}
    for c in profile.local_codes:
        problems += _local_problems(c, local, selected, common, ranges, profile.classification)
    return problems


def _overlaps(entries: list[tuple[str, Period]], what: str) -> list[Problem]:
    by_code: dict[str, list[Period]] = defaultdict(list)
    for code, valid in entries:
        by_code[code].append(valid)
    out = []
    for code, periods in by_code.items():
        periods.sort(key=lambda p: (p.start is not None, p.start or date.min))
        for a, b in pairwise(periods):
            if a.intersect(b) is not None:
                out.append(Problem(code, f"{code!r} is {what} twice with overlapping validity ({a} and {b})"))
    return out


def _local_problems(
    c: LocalCode,
    local: Mapping[str, LocalCode],
    selected: set[str],
    common: Mapping[str, Item],
    ranges: Sequence[ReservedRange],
    cid: str,
) -> list[Problem]:
    if c.code in common:
        return [Problem(c.code, f"local code {c.code!r} is already a code of {cid}")]
    if c.code in selected:
        return [Problem(c.code, f"{c.code!r} is both selected and local")]
    if not c.titles or not any(t.strip() for t in c.titles.values()):
        return [Problem(c.code, f"local code {c.code!r} has no title")]
    if c.parent in local:
        if not c.code.startswith(c.parent) or len(c.code) <= len(c.parent):
            return [Problem(c.code, f"local code {c.code!r} must extend its local parent {c.parent!r}")]
        return []
    parent = common.get(c.parent)
    if parent is None:
        return [Problem(c.code, f"parent {c.parent!r} of local code {c.code!r} is not a code of {cid}")]
    bad = range_problem(c.code, c.parent, parent.level, ranges)
    return [Problem(c.code, bad)] if bad else []


@dataclass(frozen=True, slots=True)
class Membership:
    """Which common codes a profile shows on a date: ``chosen`` (with the selection that renames or
    limits it, if any), ``context`` (ancestors shown for navigation) and the ``local`` codes shown."""

    chosen: dict[str, Selection | None]
    context: set[str]
    local: dict[str, LocalCode]

    def __contains__(self, code: object) -> bool:
        return code in self.chosen or code in self.context or code in self.local


def membership(profile: Profile, parents: Mapping[str, str | None], at: date) -> Membership:
    """Membership on ``at`` given the common codes valid then (``code -> parent``)."""
    chosen = _chosen(profile, parents, at)
    locals_at = {c.code: c for c in profile.local_codes if c.valid.contains(at)}
    shown_local: dict[str, LocalCode] = {}
    for code in sorted(locals_at, key=len):
        c = locals_at[code]
        if c.parent in parents or c.parent in shown_local:
            shown_local[code] = c
    context: set[str] = set()
    anchors = [*chosen, *(c.parent for c in shown_local.values() if c.parent in parents)]
    for code in anchors:
        parent = parents[code]
        while parent is not None and parent in parents and parent not in chosen and parent not in context:
            context.add(parent)
            parent = parents[parent]
    return Membership(chosen, context, shown_local)


def compose(profile: Profile, common: Iterable[Item], at: date, classification_uri: str) -> list[Item]:
    """The profile's items valid on ``at``, from the common items valid on ``at``.

    Common items keep the order they come in; local items follow (callers sort). A selected item
    that the profile does not change is the common item itself (no ``profile.origin`` property).
    """
    items = list(common)
    shown = membership(profile, {i.code: i.parent for i in items}, at)
    out: list[Item] = []
    levels: dict[str, int | None] = {}
    for item in items:
        if item.code in shown.chosen:
            out.append(common_item(item, shown.chosen[item.code]))
        elif item.code in shown.context:
            out.append(context_item(item))
        else:
            continue
        levels[item.code] = item.level
    out += local_items(profile, shown, levels, classification_uri)
    return out


def local_items(
    profile: Profile, shown: Membership, levels: Mapping[str, int | None], classification_uri: str
) -> list[Item]:
    """The local codes shown, as items (``levels`` gives the level of each common parent)."""
    known = dict(levels)
    uri = profile.uri(classification_uri)
    out = []
    for code in sorted(shown.local, key=len):
        c = shown.local[code]
        parent_level = known.get(c.parent)
        level = parent_level + 1 if parent_level is not None else None
        known[code] = level
        out.append(
            Item(
                code=code,
                titles=dict(c.titles),
                level=level,
                parent=c.parent,
                valid=c.valid,
                uuid=item_uuid(uri, code),
                description=c.description,
                properties={ORIGIN: "local"},
            )
        )
    return out


def _chosen(profile: Profile, parents: Mapping[str, str | None], at: date) -> dict[str, Selection | None]:
    chosen: dict[str, Selection | None] = dict.fromkeys(parents) if profile.include_all else {}
    children: dict[str | None, list[str]] = defaultdict(list)
    if any(s.subtree for s in profile.selections):
        for code, parent in parents.items():
            children[parent].append(code)
    for s in profile.selections:
        if s.code not in parents or not s.valid.contains(at):
            continue
        chosen[s.code] = s
        if s.subtree:
            frontier = list(children.get(s.code, []))
            while frontier:
                code = frontier.pop()
                if code not in chosen:
                    chosen[code] = None
                    frontier.extend(children.get(code, []))
    return chosen


def common_item(item: Item, selection: Selection | None) -> Item:
    """A chosen common item as the profile shows it: renamed and cut to the selection's validity."""
    if selection is None:
        return item
    renamed = {lang: t for lang, t in selection.titles.items() if t and item.titles.get(lang) != t}
    if not renamed and selection.valid == ALWAYS:
        return item
    properties = dict(item.properties)
    titles = item.titles
    if renamed:
        lang = "da" if "da" in renamed else next(iter(renamed))
        properties[COMMON_TITLE] = item.titles.get(lang, "")
        titles = {**item.titles, **renamed}
    valid = item.valid.intersect(selection.valid) or item.valid
    return replace(item, titles=titles, valid=valid, properties=properties)


def context_item(item: Item) -> Item:
    return replace(item, properties={**item.properties, ORIGIN: "context"})


def origin(item: Item) -> str:
    """``selected``, ``context`` or ``local``: how an item of a composed profile got there."""
    return item.properties.get(ORIGIN, "selected")
