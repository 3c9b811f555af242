from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.privacy import cpr
from kodeks.privacy.cpr_fpe import transform
from kodeks.privacy.errors import ColumnError, ConfigError, CprError, KeyMaterialError
from kodeks.privacy.keyed_hash import hmac_hex
from kodeks.privacy.keys import SecretKey, load_key
from kodeks.privacy.pseudonymize import Rule, pseudonymize

KEY = SecretKey(bytes(range(32)))


def test_hmac_matches_the_standard_library_and_is_keyed() -> None:
    import hashlib
    import hmac

    s = pl.Series("x", ["a", "b", "a", None])
    out = hmac_hex(s, b"k" * 32)
    assert out[0] == hmac.new(b"k" * 32, b"a", hashlib.sha256).hexdigest()[:32]
    assert out[0] == out[2] and out[3] is None
    assert hmac_hex(s, b"j" * 32)[0] != out[0]
    many = pl.Series("x", [f"{i:010d}" for i in range(2000)])
    parallel = hmac_hex(many, b"k" * 32, workers=2, parallel_threshold=100)
    assert parallel.to_list() == hmac_hex(many, b"k" * 32, workers=1).to_list()
    assert parallel[7] == hmac.new(b"k" * 32, b"0000000007", hashlib.sha256).hexdigest()[:32]


@pytest.mark.parametrize("workers", [1, 2])
def test_hmac_paths_agree_with_the_standard_library(workers: int) -> None:
    """Fixed-width, mixed-width, NUL-ending, non-ASCII, repeated (deduplicated) values and nulls."""
    import hashlib
    import hmac

    key = b"q" * 32
    cases = {
        "fixed": [f"{i:06d}" for i in range(300)],
        "mixed": [f"v{i}" for i in range(300)],
        "nul": ["ab\0", "cd\0", "ef\0"] * 100,
        "danish": ["Ærø", "Tårnby", "Helsingør", None] * 75,
        "repeats": [f"{i % 7}" for i in range(300)],
    }
    for name, raw in cases.items():
        out = hmac_hex(pl.Series(name, raw), key, 40, workers=workers, parallel_threshold=50)
        expected = [
            None if v is None else hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:40] for v in raw
        ]
        assert out.to_list() == expected, name
        assert out.name == name


def test_keys(tmp_path: Path) -> None:
    with pytest.raises(KeyMaterialError, match="too short"):
        SecretKey(b"short")
    with pytest.raises(KeyMaterialError, match="not set"):
        load_key(env="KODEKS_KEY", environ={})
    with pytest.raises(KeyMaterialError, match="no key"):
        load_key()
    f = tmp_path / "key"
    f.write_text("ab" * 32 + "\n")
    key = load_key(f)
    assert key.material == bytes([0xAB]) * 32
    assert "ab" not in repr(key) and "hidden" in repr(key)
    assert key.derive("projekt-a", "hmac") != key.derive("projekt-b", "hmac")
    assert load_key(env="K", environ={"K": "x" * 40}).material == b"x" * 40
    with pytest.raises(KeyMaterialError, match="cannot read"):
        load_key(tmp_path / "missing")


def test_cpr_rules() -> None:
    assert cpr.parse("010190-1234").birth_date == dt.date(1990, 1, 1)
    assert cpr.parse("0101154000").birth_date == dt.date(2015, 1, 1)
    assert cpr.parse("010160-5000").birth_date == dt.date(1860, 1, 1)
    assert cpr.parse("010140-9001").birth_date == dt.date(1940, 1, 1)
    assert cpr.parse("010190-1235").male
    for bad in ["320190-1234", "290223-1234", "0101901", "abcdefghij", "013190-1234"]:
        with pytest.raises(CprError):
            cpr.parse(bad)


def test_post_2007_numbers_failing_modulus_11_are_accepted() -> None:
    number = next(f"010110-{s}" for s in range(4000, 5000) if not cpr.modulus11(f"010110{s}"))
    assert cpr.modulus11("0707614285")  # a classic example that passes
    assert cpr.parse(number).birth_date == dt.date(2010, 1, 1)
    frame = pl.DataFrame({"cpr": [number]})
    cpr.check_column(frame, "cpr")


def test_valid_expr_agrees_with_parse() -> None:
    rng = np.random.default_rng(1)
    values = [f"{rng.integers(0, 10**10):010d}" for _ in range(3000)]
    values[:4] = ["2902004000", "2902000000", "2902960001", "2902970001"]
    got = pl.DataFrame({"c": values}).select(cpr.valid_expr("c")).to_series().to_list()
    expected = []
    for v in values:
        try:
            cpr.parse(v)
            expected.append(True)
        except CprError:
            expected.append(False)
    assert got == expected
    assert got[:4] == [True, False, True, False]  # 1900 was not a leap year


def test_vectorised_cpr_parsing_agrees_with_parse() -> None:
    """The integer path (table lookup of DDMMYY by century) accepts exactly what ``cpr.parse`` accepts."""
    from kodeks.privacy.cpr_fpe import day_index

    rng = np.random.default_rng(2)
    values = rng.integers(0, 10**10, 20_000, dtype=np.uint64)
    values[:4] = [2902004000, 2902000000, 2902960001, 2902970001]
    got = (day_index(values) >= 0).tolist()
    expected = []
    for v in values.tolist():
        try:
            cpr.parse(f"{v:010d}")
            expected.append(True)
        except CprError:
            expected.append(False)
    assert got == expected
    assert got[:4] == [True, False, True, False]


def test_ff1_columns_keep_nulls_hyphens_and_reject_bad_shapes() -> None:
    column = pl.Series("cpr", ["010190-1234", None, " 0201904321 ", "311299-9999"])
    for keep in (True, False):
        enc = transform(column, KEY.material, keep_rules=keep)
        assert enc[1] is None and enc[0][6] == "-" and "-" not in enc[2] and enc[3][6] == "-"
        back = transform(enc, KEY.material, keep_rules=keep, decrypt=True)
        assert back.to_list() == ["010190-1234", None, "0201904321", "311299-9999"]
    for bad in ["01019-01234", "0101901234x", "010190--1234", "+101901234", "０１０１９０１２３４"]:
        with pytest.raises(CprError, match="row 2"):
            transform(pl.Series("cpr", ["010190-1234", bad]), KEY.material)
    assert transform(pl.Series("cpr", [None, None], dtype=pl.String), KEY.material).to_list() == [None, None]


def test_cpr_in_free_text() -> None:
    text = "Borger 010190-1234 ringede fra 12345678; konto 3201901234 og 0101901235."
    out = cpr.replace_in_text(text, lambda c, _o: "<CPR>")
    assert out == "Borger <CPR> ringede fra 12345678; konto 3201901234 og <CPR>."


@settings(max_examples=25, deadline=None)
@given(
    day=st.dates(dt.date(1858, 1, 1), dt.date(2057, 12, 31)),
    serial=st.integers(0, 999),
    last=st.integers(0, 9),
)
def test_ff1_keep_rules_round_trip(day: dt.date, serial: int, last: int) -> None:
    seventh = next(iter(cpr.allowed_seventh(day.year)))
    number = f"{day:%d%m}{day.year % 100:02d}-{seventh}{serial % 100:02d}{last}"
    enc = transform(pl.Series("cpr", [number]), KEY.material, keep_rules=True)
    parsed = cpr.parse(enc[0])
    assert parsed.male == (last % 2 == 1)
    assert transform(enc, KEY.material, keep_rules=True, decrypt=True)[0] == number


def test_pseudonymize_table_and_lookup() -> None:
    frame = pl.DataFrame(
        {
            "cpr": ["010190-1234", "020290-2345", "010190-1234"],
            "name": ["A", "B", "A"],
            "note": ["ring 010190-1234", "intet", None],
            "age": [30, 31, 30],
        }
    )
    rules = [Rule("cpr", "ff1-cpr"), Rule("name", "hmac"), Rule("note", "cpr-text")]
    res = pseudonymize(frame, rules, KEY, "projekt-a")
    assert res.frame["cpr"][0] == res.frame["cpr"][2] != "010190-1234"
    assert "010190-1234" not in res.frame["note"][0] and res.frame["note"][0].startswith("ring CPR-")
    again = pseudonymize(frame, rules, KEY, "projekt-a").frame
    assert again.equals(res.frame)
    other = pseudonymize(frame, rules, KEY, "projekt-b").frame
    assert other["cpr"][0] != res.frame["cpr"][0]
    back = pseudonymize(res.frame, [Rule("cpr", "ff1-cpr")], KEY, "projekt-a", decrypt=True)
    assert back.frame["cpr"].to_list() == frame["cpr"].to_list()
    assert set(res.lookup["column"].to_list()) == {"cpr", "name"}
    assert res.lookup.height == 4


def test_bad_inputs() -> None:
    frame = pl.DataFrame({"cpr": ["010190-1234", "320190-1234"]})
    with pytest.raises(CprError, match="row 2") as info:
        pseudonymize(frame, [Rule("cpr", "ff1-cpr")], KEY, "d")
    assert "320190" not in str(info.value)
    with pytest.raises(ColumnError, match="'missing'"):
        pseudonymize(frame, [Rule("missing", "hmac")], KEY, "d")
    with pytest.raises(ConfigError, match="one-way"):
        pseudonymize(frame, [Rule("cpr", "hmac")], KEY, "d", decrypt=True)
    with pytest.raises(ConfigError, match="unknown"):
        Rule("cpr", "sha256")  # type: ignore[arg-type]
    with pytest.raises(KeyMaterialError):
        pseudonymize(frame, [Rule("cpr", "hmac")], KEY, "")
