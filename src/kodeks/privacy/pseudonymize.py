"""Pseudonymize the direct identifiers of a table.

Methods per column: ``hmac`` (keyed HMAC-SHA-256, one-way), ``ff1-cpr`` (FF1, reversible, CPR rules kept),
``ff1-digits`` (FF1 over the ten digits, reversible, looks like a CPR number), ``cpr-text`` (replace valid CPR
numbers found in free text with keyed pseudonyms), ``drop``. Keys are derived from the master key per
pseudonymisation domain and purpose, so the same domain gives the same pseudonyms in every file and run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import polars as pl

from kodeks.privacy import cpr as cprmod
from kodeks.privacy import cpr_fpe
from kodeks.privacy.encoding import check_columns
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.keyed_hash import hmac_digests, hmac_hex
from kodeks.privacy.keys import SecretKey

Method = Literal["hmac", "ff1-cpr", "ff1-digits", "cpr-text", "drop"]
METHODS: tuple[str, ...] = ("hmac", "ff1-cpr", "ff1-digits", "cpr-text", "drop")


@dataclass(frozen=True)
class Rule:
    column: str
    method: Method
    hex_chars: int = 32

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ConfigError(
                f"unknown pseudonymisation method {self.method!r}; choose one of {', '.join(METHODS)}"
            )


@dataclass
class PseudonymResult:
    frame: pl.DataFrame
    lookup: pl.DataFrame  # column, original, pseudonym: for the key holder only


def _text_token(key: bytes) -> Callable[[cprmod.Cpr, str], str]:
    def replace(cpr: cprmod.Cpr, _original: str) -> str:
        return "CPR-" + hmac_digests(key, [cpr.digits.encode()], 8).hex()

    return replace


def _replace_text(text: str, token: Callable[[cprmod.Cpr, str], str]) -> str:
    return cprmod.replace_in_text(text, token)


def pseudonymize(
    frame: pl.DataFrame, rules: Sequence[Rule], key: SecretKey, domain: str, decrypt: bool = False
) -> PseudonymResult:
    """Apply ``rules``; with ``decrypt`` the reversible (FF1) columns are decrypted instead."""
    check_columns(frame.columns, [r.column for r in rules])
    out = frame
    lookups: list[pl.DataFrame] = []
    for rule in rules:
        col = out[rule.column]
        if rule.method == "drop":
            out = out.drop(rule.column)
            continue
        if rule.method == "hmac":
            if decrypt:
                raise ConfigError(
                    f"column {rule.column!r}: HMAC pseudonyms are one-way; use the lookup table"
                )
            values = col.cast(pl.String)
            if rule.column.lower().startswith("cpr"):
                values = values.str.replace("-", "", literal=True)
            new = hmac_hex(values, key.derive(domain, "hmac"), rule.hex_chars)
        elif rule.method in ("ff1-cpr", "ff1-digits"):
            new = cpr_fpe.transform(col, key.derive(domain, "ff1"), rule.method == "ff1-cpr", decrypt)
        else:
            token = _text_token(key.derive(domain, "cpr-text"))
            new = col.cast(pl.String).map_elements(
                partial(_replace_text, token=token), return_dtype=pl.String
            )
        out = out.with_columns(new.alias(rule.column))
        if rule.method != "cpr-text":
            lookups.append(
                pl.DataFrame({"column": rule.column, "original": col.cast(pl.String), "pseudonym": new})
                .unique(maintain_order=True)
                .drop_nulls("original")
            )
    lookup = (
        pl.concat(lookups)
        if lookups
        else pl.DataFrame(schema={"column": pl.String, "original": pl.String, "pseudonym": pl.String})
    )
    return PseudonymResult(out, lookup)
