"""Search text: tokens, folding, per-language Snowball stemming and edit distance.

Both the index and the query go through the same functions here, so SQLite and PostgreSQL hold the
same terms and behave the same way. Each text is analysed in its own language (``terms(text, lang)``):
Danish (the default, and any text whose language is not known) with Snowball's Danish stemmer and
stop words, English with Snowball's English stemmer and English stop words, and every other language
without stemming (words folded to ASCII, found exactly or as a prefix). A query's language is not
known, so each query word is tried as its Danish stem, its English stem and as written:

* **Tokens.** A run of letters and digits, joined by ``.``, ``-`` or ``/``. A token that contains a
  digit is a *code* and is kept whole (``27.24.10``, ``G01``, ``A00.1``); a word joined by hyphens
  (``børne-``, ``e-mail``) is split into its parts.
* **Words** are casefolded, stemmed with Snowball's Danish stemmer (on the real letters), and then
  folded to ASCII: ``æ → ae``, ``ø → oe``, ``å → aa``, other diacritics dropped (``é → e``). So
  ``Åbenrå``, ``Aabenraa`` and ``åbenraa`` are one term, and ``hjemmehjaelp`` finds ``hjemmehjælp``.
  A query word written with ``aa``/``ae``/``oe`` is also tried with ``å``/``æ``/``ø`` before
  stemming, because the stemmer treats the Danish letters as vowels.
* **Codes** become one term without punctuation (``27.24.10 → 272410``) for the text index; code
  search itself compares :func:`code_key` values (casefolded, spaces removed).
* Common stop words of the text's language (``og``, ``i``, ``til``; ``the``, ``of``) are not indexed;
  a query drops both lists' words unless nothing else is left.

Every term is ``[a-z0-9]+``: no quote, operator or FTS syntax can survive analysis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+(?:[.\-/][^\W_]+)*")
_SPLIT = re.compile(r"[.\-/]")
_CODE_CHARS = re.compile(r"[\s.\-/]")
_ASCII_TERM = re.compile(r"^[a-z0-9]+$")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ß": "ss", "ð": "d", "þ": "th"})

#: Snowball's Danish stop list (the words PostgreSQL's ``danish`` configuration drops too).
STOPWORDS: frozenset[str] = frozenset(
    {
        "ad",
        "af",
        "alle",
        "alt",
        "anden",
        "at",
        "blev",
        "blive",
        "bliver",
        "da",
        "de",
        "dem",
        "den",
        "denne",
        "der",
        "deres",
        "det",
        "dette",
        "dig",
        "din",
        "disse",
        "dog",
        "du",
        "efter",
        "eller",
        "en",
        "end",
        "er",
        "et",
        "for",
        "fra",
        "ham",
        "han",
        "hans",
        "har",
        "havde",
        "have",
        "hende",
        "hendes",
        "her",
        "hos",
        "hun",
        "hvad",
        "hvis",
        "hvor",
        "i",
        "ikke",
        "ind",
        "jeg",
        "jer",
        "jo",
        "kunne",
        "man",
        "mange",
        "med",
        "meget",
        "men",
        "mig",
        "min",
        "mine",
        "mit",
        "mod",
        "ned",
        "noget",
        "nogle",
        "nu",
        "når",
        "og",
        "også",
        "om",
        "op",
        "os",
        "over",
        "på",
        "selv",
        "sig",
        "sin",
        "sine",
        "sit",
        "skal",
        "skulle",
        "som",
        "sådan",
        "thi",
        "til",
        "ud",
        "under",
        "var",
        "vi",
        "vil",
        "ville",
        "vor",
        "være",
        "været",
    }
)

#: Snowball's English stop list, the short function words (what PostgreSQL's ``english`` drops too).
ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
    ]
)
#: Words a query drops as stop words (Danish or English; ``to`` and ``is`` are also Danish words, but
#: rare in a search for a code).
QUERY_STOPWORDS: frozenset[str] = STOPWORDS | ENGLISH_STOPWORDS
#: Languages the index stems; other languages are folded only.
STEMMED = ("da", "en")

#: Query words at least this long get typo tolerance (one edit).
FUZZY_MIN_LENGTH = 5
#: Query words at least this long also match as a prefix.
PREFIX_MIN_LENGTH = 3

_stemmer = snowballstemmer.stemmer("danish")
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Casefold and fold to ASCII the Danish way (``æ→ae``, ``ø→oe``, ``å→aa``; ``é→e``)."""
    folded = text.casefold().translate(_FOLD)
    if folded.isascii():  # nothing to decompose (most words, every code): skip the normalization
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_DIGIT = re.compile(r"\d")


def has_digit(token: str) -> bool:
    return _DIGIT.search(token) is not None


def code_key(code: str) -> str:
    """How codes are compared: casefolded, without spaces (``a00.1``, ``27.24``)."""
    return "".join(code.casefold().split())


def compact_code(code: str) -> str:
    """A code as one alphanumeric term: ``27.24.10 → 272410``, ``A00.1 → a001``."""
    return fold(_CODE_CHARS.sub("", code))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The folded Snowball Danish stem of one casefolded word."""
    return fold(_stemmer.stemWord(word))


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """The folded Snowball English stem of one casefolded word."""
    return fold(_english.stemWord(word))


def analysis_language(lang: str | None) -> str:
    """How a text in ``lang`` is analysed: ``da`` (also unknown), ``en``, or ``other`` (folded only)."""
    if not lang:
        return "da"
    base = lang.casefold().split("-")[0]
    return base if base in STEMMED else "other"


def raw_tokens(text: str) -> list[str]:
    """Tokens as written (casefolded): codes whole, other words split at ``.``, ``-``, ``/``."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.casefold()):
        token = match.group()
        if has_digit(token):
            out.append(token)
        else:
            out.extend(part for part in _SPLIT.split(token) if part)
    return out


def terms(text: str | None, lang: str | None = None) -> list[str]:
    """Index terms of a text in language ``lang`` (default Danish), in order (stop words dropped)."""
    return list(_terms(text, analysis_language(lang))) if text else []


@lru_cache(maxsize=100_000)
def _terms(text: str, mode: str) -> tuple[str, ...]:
    out: list[str] = []
    for token in raw_tokens(text):
        term = compact_code(token) if has_digit(token) else _word_term(token, mode)
        if term and _ASCII_TERM.match(term):
            out.append(term)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _word_term(token: str, mode: str) -> str | None:
    """The term of one word without digits (``None``: a stop word). Cached per word: the words of a
    large import repeat (its numbers and codes do not, so they stay out of the cache)."""
    stops = STOPWORDS if mode == "da" else ENGLISH_STOPWORDS if mode == "en" else frozenset()
    if token in stops:
        return None
    if mode == "da":
        return stem(token)
    if mode == "en":
        return stem_en(token)
    return fold(token)


def spelling_variants(word: str, limit: int = 8) -> set[str]:
    """``word`` and its forms with ``aa/ae/oe`` read as ``å/æ/ø`` (at most ``limit``)."""
    pieces = re.split(r"(aa|ae|oe)", word)
    if len(pieces) == 1:
        return {word}
    swap = {"aa": "å", "ae": "æ", "oe": "ø"}
    options = [(p, swap[p]) if p in swap else (p,) for p in pieces]
    out: set[str] = set()
    for combo in product(*options):
        out.add("".join(combo))
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One word or code of a query.

    ``stems`` are the index terms it matches exactly; ``prefixes`` those it matches as a prefix
    (empty for short words); ``code`` is set for code-like tokens (digits inside).
    """

    surface: str
    stems: frozenset[str]
    prefixes: frozenset[str]
    code: str | None = None

    @property
    def fuzzy(self) -> bool:
        return self.code is None and len(self.surface) >= FUZZY_MIN_LENGTH


@dataclass(frozen=True, slots=True)
class AnalysedQuery:
    text: str
    terms: tuple[QueryTerm, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms if t.code)

    @property
    def is_code_only(self) -> bool:
        return bool(self.terms) and all(t.code for t in self.terms)


def analyse_query(text: str, max_terms: int = 12) -> AnalysedQuery:
    """The terms of a user's query. Stop words are dropped unless nothing else is left."""
    tokens = raw_tokens(text)
    content = [t for t in tokens if has_digit(t) or t not in QUERY_STOPWORDS] or tokens
    seen: set[str] = set()
    out: list[QueryTerm] = []
    for token in content:
        if token in seen:
            continue
        seen.add(token)
        term = _query_term(token)
        if term.stems or term.code:
            out.append(term)
        if len(out) >= max_terms:
            break
    return AnalysedQuery(text, tuple(out))


def _query_term(token: str) -> QueryTerm:
    if has_digit(token):
        compact = compact_code(token)
        plain = frozenset({compact}) if _ASCII_TERM.match(compact) else frozenset()
        return QueryTerm(token, plain, plain if len(compact) >= 2 else frozenset(), code=code_key(token))
    stems = {stem(v) for v in spelling_variants(token)}
    stems.add(stem(fold(token)))
    surface = fold(token)
    stems |= {stem_en(token), surface}  # as an English word, and as written (other languages)
    stems = {s for s in stems if _ASCII_TERM.match(s)}
    prefixes = set()
    if len(surface) >= PREFIX_MIN_LENGTH:
        prefixes = {s for s in stems if len(s) >= PREFIX_MIN_LENGTH}
        if _ASCII_TERM.match(surface):
            prefixes.add(surface)
    return QueryTerm(surface, frozenset(stems), frozenset(prefixes))


def deletions(term: str) -> set[str]:
    """Every string one deletion away from ``term`` (the symmetric-delete neighbourhood)."""
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def within_one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance ≤ 1: one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
