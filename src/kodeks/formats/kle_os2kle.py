"""Importer ``kle-os2kle``: OS2KLE's text file of KLE emner with weighted search words.

One emne per line::

    KLENummer='01.02.03':KLETitel='Et emne':Keywords[Weight]=et ord[5];et andet ord[10];

Only emner (level 3) are listed, so the release speaks for level 3 alone (``levels_covered``); the
hovedgrupper and grupper, descriptions and history come from other releases. Titles may themselves
hold ``'`` or ``:``; the title runs to the last ``':Keywords[Weight]=``. Terms may hold ``;`` or
``[``; each keyword ends at ``[weight];``.

The file states no date or version. OS2KLE 3.23 (``OS2KLE.txt`` of os2kle/os2kle at that release)
corresponds to KLE as of February 2026: import it with ``--release-date 2026-02-01``. The release
label is taken from a file name such as ``os2kle_3.23_...txt`` (``OS2KLE 3.23``), else left to the user.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from kodeks.domain.item import Item, Keyword
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.kle_common import KLE_LEVELS, decode_utf8, kle_classification, kle_parent

FIELDS = frozenset({"titles", "level", "parent", "keywords"})
_CODE_PREFIX = "KLENummer='"
_TITLE_PREFIX = "':KLETitel='"
_KEYWORDS_PREFIX = "':Keywords[Weight]="
_EMNE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")
_VERSION = re.compile(r"os2kle[ _-]?v?(\d+(?:\.\d+)+)", re.IGNORECASE)
_KEYWORD_END = re.compile(r"\[(\d+)\];?")


class KleOs2kleImporter:
    name = "kle-os2kle"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "KLE emner with weighted search words from OS2KLE's text file (KLENummer=...)"
    extensions = (".txt",)

    def sniff(self, head: bytes, filename: str) -> int:
        return 100 if head.lstrip(b"\xef\xbb\xbf").startswith(_CODE_PREFIX.encode()) else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        text = decode_utf8(data, source)
        items: list[Item] = []
        seen: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            item = _parse(line.strip(), source, number)
            if item.code in seen:
                raise InvalidContent(
                    f"KLENummer {item.code} appears twice (first on line {seen[item.code]})",
                    source=source,
                    location=f"line {number}",
                )
            seen[item.code] = number
            items.append(item)
        if not items:
            raise MalformedInput("file is empty", source=source)
        version = _VERSION.search(PurePath(source).name)
        return [
            Bundle(
                classification=kle_classification(options.classification),
                items=tuple(items),
                levels=KLE_LEVELS,
                release_label=f"OS2KLE {version.group(1)}" if version else None,
                kind=ReleaseKind.SNAPSHOT,
                fields=FIELDS,
                source=source,
                format=self.name,
                levels_covered=frozenset({3}),
            )
        ]


def _parse(line: str, source: str, number: int) -> Item:
    where = f"line {number}"
    code_end = line.find(_TITLE_PREFIX)
    title_end = line.rfind(_KEYWORDS_PREFIX)
    if not line.startswith(_CODE_PREFIX) or code_end < 0 or title_end < code_end:
        raise MalformedInput(
            "expected KLENummer='..':KLETitel='..':Keywords[Weight]=..", source=source, location=where
        )
    code = line[len(_CODE_PREFIX) : code_end].strip()
    title = line[code_end + len(_TITLE_PREFIX) : title_end].strip()
    if not _EMNE.fullmatch(code):
        raise InvalidContent(
            f"KLENummer {code!r} is not an emne number (NN.NN.NN)", source=source, location=where
        )
    if not title:
        raise InvalidContent(f"KLENummer {code} has no title", source=source, location=where)
    keywords = _keywords(line[title_end + len(_KEYWORDS_PREFIX) :], source, where)
    return Item(code=code, titles={"da": title}, level=3, parent=kle_parent(code), keywords=keywords)


def _keywords(text: str, source: str, where: str) -> tuple[Keyword, ...]:
    """``term[5];other term[10];`` → keywords; a term may hold ``;`` or ``[`` itself."""
    keywords: list[Keyword] = []
    position = 0
    for match in _KEYWORD_END.finditer(text):
        if match.end() != len(text) and not match.group(0).endswith(";"):
            continue  # "[12]" inside a term, not followed by ";"
        term = text[position : match.start()].strip()
        if term:
            keywords.append(Keyword(term, int(match.group(1))))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        raise MalformedInput(f"search word {rest[:40]!r} has no [weight]", source=source, location=where)
    return tuple(keywords)


IMPORTERS = [KleOs2kleImporter()]
