"""The shapes a classification's codes take, to tell a malformed value from an unknown one.

A code's *shape* replaces each digit by ``9``, each capital letter by ``A`` and each small letter by
``a`` (KLE ``27.24.03`` → ``99.99.99``, ICD-10 ``DA001`` → ``AA999``). A value whose shape no code of
the classification has is ``malformed``; one with a known shape that is not a code is ``unknown``.
Codes with many shapes (UUIDs, free identifiers) are compared coarsely instead: each run of letters
and digits becomes ``x`` and its length (a UUID → ``x8-x4-x4-x4-x12``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: More fine shapes than this and the classification's codes are compared coarsely.
MAX_FINE_SHAPES = 64

#: The regular expressions engines apply, in this order, to compute a value's shape.
FINE_RULES: tuple[tuple[str, str], ...] = (
    (r"[0-9]", "9"),
    (r"[A-ZÆØÅ]", "A"),
    (r"[a-zæøå]", "a"),
)
_RUN = re.compile(r"[0-9A-Za-zÆØÅæøå]+")


def fine_shape(code: str) -> str:
    out = code
    for pattern, replacement in FINE_RULES:
        out = re.sub(pattern, replacement, out)
    return out


def coarse_shape(code: str) -> str:
    return _RUN.sub(lambda m: f"x{len(m.group(0))}", code)


@dataclass(frozen=True, slots=True)
class Shapes:
    """The shapes of a classification's codes; ``coarse`` says which kind."""

    shapes: frozenset[str]
    coarse: bool

    def of(self, value: str) -> str:
        return coarse_shape(value) if self.coarse else fine_shape(value)

    def fits(self, value: str) -> bool:
        return self.of(value) in self.shapes

    def regex(self) -> str:
        """One anchored regular expression that a value matches exactly when its shape is known
        (engines test every row with it: one match instead of computing the shape)."""
        return "^(?:" + "|".join(sorted(_as_regex(s, self.coarse) for s in self.shapes)) + ")$"


_CLASSES = {"9": "[0-9]", "A": "[A-ZÆØÅ]", "a": "[a-zæøå]"}
_ALNUM = "[0-9A-Za-zÆØÅæøå]"


def _as_regex(shape: str, coarse: bool) -> str:
    if coarse:
        parts = re.split(r"(x\d+)", shape)
        return "".join(
            f"{_ALNUM}{{{p[1:]}}}" if re.fullmatch(r"x\d+", p) else re.escape(p) for p in parts if p
        )
    out = []
    for run in re.finditer(r"(.)\1*", shape):
        char, n = run.group(1), len(run.group(0))
        piece = _CLASSES.get(char, re.escape(char))
        out.append(piece if n == 1 else f"(?:{piece}){{{n}}}" if len(piece) == 1 else f"{piece}{{{n}}}")
    return "".join(out)


def shapes_of(codes: Iterable[str]) -> Shapes:
    unique = set(codes)
    fine = {fine_shape(c) for c in unique}
    if len(fine) <= MAX_FINE_SHAPES:
        return Shapes(frozenset(fine), coarse=False)
    return Shapes(frozenset(coarse_shape(c) for c in unique), coarse=True)
