"""What a validation run is asked to do: which column, against what, at which dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Suffixes of the columns a validation adds after the code column's name.
SUFFIXES = ("_status", "_suggestion", "_title")


@dataclass(frozen=True, slots=True)
class ValidateSpec:
    """``column`` holds codes of ``classification``; each row's date comes from ``date_column``, else
    every row is read at ``at``. ``level`` asks for codes of one level (others are ``wrong_level``)."""

    column: str
    classification: str
    date_column: str | None = None
    at: date | None = None
    level: int | None = None
    top_unknown: int = 20

    def __post_init__(self) -> None:
        if not self.column:
            raise ValueError("no code column named")
        if self.date_column is not None and self.at is not None:
            raise ValueError("give a date column or one date (--at), not both")

    @property
    def added(self) -> tuple[str, str, str]:
        return (self.column + SUFFIXES[0], self.column + SUFFIXES[1], self.column + SUFFIXES[2])
