"""The status of one value of a code column at its row's date. The words are a contract."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    VALID = "valid"  # valid on the row's date
    EXPIRED = "expired"  # was valid, not on that date, no successor (suggestion: the day it expired)
    MOVED = "moved"  # expired, with successors valid on that date (suggestion: them, chains followed)
    NOT_YET_VALID = "not_yet_valid"  # becomes valid after the row's date (suggestion: the day it starts)
    UNKNOWN = "unknown"  # fits the code pattern, but the classification never had it
    MALFORMED = "malformed"  # does not fit any shape the classification's codes have
    WRONG_LEVEL = "wrong_level"  # valid, but not on the level asked for (``--level``)
    LOCAL = "local"  # valid on that date only as a local code of the profile given (``--profile``)
    EMPTY = "empty"  # null or blank
    BAD_DATE = "bad_date"  # the row's date is missing or cannot be read


#: Statuses that say the value is fine on its date.
ACCEPTED = frozenset({Status.VALID, Status.LOCAL})
