"""Thesaurus pages: a classification's groups (``skos:Collection``), one group, and the alphabetical
index of its labels per language (as Skosmos browses a vocabulary)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from kodeks.bootstrap import Kodeks
from kodeks.domain.group import Group, nested
from kodeks.domain.item import Item
from kodeks.errors import NotFound
from kodeks.services import queries
from kodeks.web.catalog import classification_title
from kodeks.web.contexts import Link, PageMeta
from kodeks.web.visit import Visit

#: Entries shown for one letter of the alphabetical index at most.
MAX_ENTRIES = 2000
_DANISH_TAIL = {"æ": "{0", "ø": "{1", "å": "{2"}  # after z, in the Danish alphabet's order


@dataclass(frozen=True, slots=True)
class GroupRow:
    link: Link
    members: int
    subgroups: int


@dataclass(frozen=True, slots=True)
class GroupsPage:
    meta: PageMeta
    classification_id: str
    title: str
    groups: tuple[GroupRow, ...]


@dataclass(frozen=True, slots=True)
class GroupPage:
    meta: PageMeta
    classification_id: str
    code: str
    title: str
    subgroups: tuple[Link, ...]
    members: tuple[Link, ...]
    all_members: int  # members of the group and its nested groups (what a sortiment from it would hold)


@dataclass(frozen=True, slots=True)
class AlphabetEntry:
    label: str
    href: str
    use: str | None = None  # an alternative label: the preferred label it leads to


@dataclass(frozen=True, slots=True)
class AlphabetPage:
    meta: PageMeta
    classification_id: str
    title: str
    lang: str
    languages: tuple[Link, ...]
    letter: str | None
    letters: tuple[Link, ...]
    entries: tuple[AlphabetEntry, ...]


def _crumbs(kodeks: Kodeks, v: Visit, cid: str) -> tuple[str, tuple[Link, ...]]:
    c = queries.get_classification(kodeks.uow, cid, v.when.known_at)
    title = classification_title(kodeks, c, v.lang)
    return title, (Link(v.urls.home(), v.t("nav_catalog")), Link(v.urls.classification(cid), title))


def groups_page(kodeks: Kodeks, v: Visit, cid: str) -> GroupsPage:
    title, crumbs = _crumbs(kodeks, v, cid)
    groups = queries.groups(kodeks.uow, cid, v.when)
    counts = Counter(g for item in queries.items(kodeks.uow, cid, v.when) for g in item.groups)
    rows = tuple(
        GroupRow(Link(v.urls.group(cid, g.code), g.title(v.lang)), counts[g.code], len(g.subgroups))
        for g in sorted(groups, key=lambda g: sort_key(g.title(v.lang), v.lang))
    )
    heading = v.t("groups_title", name=title)
    return GroupsPage(v.meta(heading, (*crumbs, Link(v.urls.groups(cid), v.t("groups")))), cid, heading, rows)


def group_page(kodeks: Kodeks, v: Visit, cid: str, code: str) -> GroupPage:
    _title, crumbs = _crumbs(kodeks, v, cid)
    groups = queries.groups(kodeks.uow, cid, v.when)
    found = next((g for g in groups if g.code == code), None)
    if found is None:
        raise NotFound(f"no group {code!r} in {cid!r}", classification=cid, group=code)
    items = queries.items(kodeks.uow, cid, v.when)
    by_code = {g.code: g for g in groups}
    inside = nested(groups, code)
    members = sorted((i for i in items if code in i.groups), key=lambda i: sort_key(i.title(v.lang), v.lang))
    return GroupPage(
        meta=v.meta(
            found.title(v.lang),
            (*crumbs, Link(v.urls.groups(cid), v.t("groups")), _group_link(v, cid, found)),
        ),
        classification_id=cid,
        code=code,
        title=found.title(v.lang),
        subgroups=tuple(_group_link(v, cid, by_code.get(s, Group(s))) for s in found.subgroups),
        members=tuple(Link(v.urls.item(cid, i.code), i.title(v.lang) or i.code) for i in members),
        all_members=sum(1 for i in items if inside & set(i.groups)),
    )


def _group_link(v: Visit, cid: str, group: Group) -> Link:
    return Link(v.urls.group(cid, group.code), group.title(v.lang))


def alphabet_page(kodeks: Kodeks, v: Visit, cid: str) -> AlphabetPage:
    title, crumbs = _crumbs(kodeks, v, cid)
    items = queries.items(kodeks.uow, cid, v.when)
    langs = Counter(lang for i in items for lang in i.titles if lang != "und")
    wanted = v.param("sprog", "language", limit=20)
    lang = wanted if wanted in langs else next((x for x in (v.lang, "da", "en") if x in langs), None)
    lang = lang or (langs.most_common(1)[0][0] if langs else "und")
    entries = sorted(_entries(v, cid, items, lang), key=lambda e: sort_key(e.label, lang))
    letters = list(dict.fromkeys(initial(e.label) for e in entries))
    letter = v.param("bogstav", "letter", limit=4)
    letter = letter.upper() if letter and letter.upper() in letters else (letters[0] if letters else None)
    heading = v.t("alphabet_title", name=title)
    return AlphabetPage(
        meta=v.meta(heading, (*crumbs, Link(v.urls.alphabet(cid, lang), heading))),
        classification_id=cid,
        title=heading,
        lang=lang,
        languages=tuple(Link(v.urls.alphabet(cid, x), x) for x in sorted(langs)),
        letter=letter,
        letters=tuple(Link(v.urls.alphabet(cid, lang, x), x) for x in letters),
        entries=tuple(e for e in entries if initial(e.label) == letter)[:MAX_ENTRIES],
    )


def _entries(v: Visit, cid: str, items: list[Item], lang: str) -> list[AlphabetEntry]:
    out: list[AlphabetEntry] = []
    link = v.urls.item_links(cid)
    for item in items:
        preferred = item.titles.get(lang)
        if not preferred:
            continue
        out.append(AlphabetEntry(preferred, link(item.code)))
        alts = [alt for alang, alt in item.alt_titles if alang == lang]
        out += [AlphabetEntry(alt, link(item.code), preferred) for alt in alts]
    return out


def initial(label: str) -> str:
    """The letter a label is filed under: its first letter, upper case, accents off (but æ, ø, å kept)."""
    first = next((ch for ch in label if ch.isalnum()), "#")
    if first.lower() in _DANISH_TAIL:
        return first.upper()
    base = unicodedata.normalize("NFKD", first)[0]
    return base.upper() if base.isalpha() else "#"


def sort_key(label: str, lang: str) -> tuple[str, str]:
    """Alphabetical order, case- and accent-blind; in Danish æ, ø, å come after z."""
    folded = label.casefold()
    if lang in ("da", "nb", "nn", "no"):
        folded = "".join(_DANISH_TAIL.get(ch, ch) for ch in folded)
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return plain, label
