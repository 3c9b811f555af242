"""What one import states: solutions, uses, and notes on what the reader left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from kodeks.domain.landscape.model import Solution, Use


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an import is refused: where in the input, and what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class LandscapeBundle:
    """Read from one input. ``problems`` are row/node errors the reader found (the import is refused
    when any exist); ``notes`` are things it read but does not keep (said in the report)."""

    source: str
    format: str
    solutions: list[Solution] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
