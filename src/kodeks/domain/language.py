"""Languages of titles: which title to show, and which language a column of text is written in.

:func:`shown_title` is the one rule for headlining a code or a classification that has titles in
several languages: Danish, else English, else the classification's default language, else the
first title the source gave. It returns the language too, so a page, a search result or the CLI can
say "(en)" when the title is not in the language asked for. The default language of a
classification is the language of its first title (:func:`default_language`): the registry keeps no
separate field for it.

:func:`guess_language` tells Danish, English, German, Swedish and French apart by their
stop words, for the importer that must know the language of a plain ``title`` column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

#: The order in which languages are tried after the one asked for.
FALLBACK = ("da", "en")


def default_language(titles: Mapping[str, str]) -> str | None:
    """The language of a classification's first title (``None`` when it has none)."""
    return next(iter(titles), None)


def shown_title(
    titles: Mapping[str, str], lang: str = "da", default: str | None = None
) -> tuple[str, str] | None:
    """``(language, title)`` to show: ``lang``, then Danish, English, ``default``, the first title.

    Empty titles are skipped; ``None`` when there is no title at all.
    """
    for candidate in (lang, *FALLBACK, default):
        if candidate and titles.get(candidate):
            return candidate, titles[candidate]
    return next(((k, v) for k, v in titles.items() if v), None)


_WORD = re.compile(r"[^\W\d_]+")

STOPWORDS: dict[str, frozenset[str]] = {
    "da": frozenset(
        [
            "og",
            "i",
            "af",
            "til",
            "for",
            "med",
            "på",
            "er",
            "det",
            "den",
            "de",
            "en",
            "et",
            "som",
            "ikke",
            "eller",
            "fra",
            "ved",
            "om",
            "samt",
            "under",
            "andre",
            "anden",
            "øvrige",
            "mv",
            "inkl",
            "herunder",
        ]
    ),
    "en": frozenset(
        [
            "and",
            "of",
            "the",
            "for",
            "in",
            "to",
            "with",
            "on",
            "by",
            "other",
            "not",
            "or",
            "from",
            "as",
            "at",
            "n.e.c",
            "including",
            "its",
            "their",
            "an",
            "a",
            "except",
            "related",
            "activities",
        ]
    ),
    "de": frozenset(
        [
            "und",
            "der",
            "die",
            "das",
            "von",
            "für",
            "mit",
            "im",
            "in",
            "auf",
            "zu",
            "oder",
            "nicht",
            "sonstige",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
        ]
    ),
    "sv": frozenset(
        [
            "och",
            "av",
            "för",
            "med",
            "på",
            "till",
            "i",
            "eller",
            "som",
            "inte",
            "från",
            "övrig",
            "övriga",
            "annan",
            "andra",
        ]
    ),
    "fr": frozenset(
        [
            "et",
            "de",
            "la",
            "le",
            "les",
            "des",
            "du",
            "pour",
            "en",
            "avec",
            "sur",
            "ou",
            "au",
            "aux",
            "autres",
            "non",
        ]
    ),
}
#: Only the words one language does not share with another count (``i`` is Danish and Swedish).
_DISTINCT: dict[str, frozenset[str]] = {
    lang: words - frozenset().union(*(w for other, w in STOPWORDS.items() if other != lang))
    for lang, words in STOPWORDS.items()
}
_MIN_HITS = 3


def guess_language(texts: Iterable[str], sample: int = 300) -> tuple[str | None, str]:
    """The language of ``texts`` by stop words: ``(tag, why)``; ``(None, why)`` when unclear.

    Clear means at least three stop-word hits and twice as many as the runner-up.
    """
    counts: Counter[str] = Counter()
    for n, text in enumerate(texts):
        if n >= sample:
            break
        for word in _WORD.findall(text.casefold()):
            for lang, words in _DISTINCT.items():
                if word in words:
                    counts[lang] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _MIN_HITS:
        return None, "too few common words to tell the language"
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if hits < 2 * runner_up:
        return None, f"the words could be {best} or {ranked[1][0]}"
    return best, f"{hits} common {best} words against {runner_up} of any other language"


_SUFFIX = re.compile(r"(?:^|[_\-\s(.\[])(da|en|de|sv|nb|no|fr|fi|es|it|nl|pl|ar)\)?\]?$")
_NAMED = {
    "dansk": "da",
    "danish": "da",
    "english": "en",
    "engelsk": "en",
    "deutsch": "de",
    "german": "de",
    "tysk": "de",
    "svenska": "sv",
    "swedish": "sv",
    "norsk": "nb",
    "français": "fr",
    "french": "fr",
}


def language_of_name(name: str) -> str | None:
    """The language a column name states: ``title_en``, ``Titel (da)``, ``English name`` → tag."""
    folded = name.strip().casefold()
    match = _SUFFIX.search(folded)
    if match:
        tag = match.group(1)
        return "nb" if tag == "no" else tag
    for word in _WORD.findall(folded):
        if word in _NAMED:
            return _NAMED[word]
    return None
