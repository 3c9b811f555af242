"""FF1 against the NIST SP 800-38G sample vectors; the batch path equals the reference path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.privacy.errors import ConfigError, KeyMaterialError
from kodeks.privacy.ff1 import FF1

K128 = "2B7E151628AED2A6ABF7158809CF4F3C"
K192 = K128 + "EF4359D8D580AA4F"
K256 = K192 + "7F036D6F04FC6A94"
T10 = "39383736353433323130"
T36 = "3737373770717273373737"
ALPHA = "0123456789abcdefghijklmnopqrstuvwxyz"

NIST = [
    (K128, 10, "", "0123456789", "2433477484"),
    (K128, 10, T10, "0123456789", "6124200773"),
    (K128, 36, T36, "0123456789abcdefghi", "a9tv40mll9kdu509eum"),
    (K192, 10, "", "0123456789", "2830668132"),
    (K192, 10, T10, "0123456789", "2496655549"),
    (K192, 36, T36, "0123456789abcdefghi", "xbj3kv35jrawxv32ysr"),
    (K256, 10, "", "0123456789", "6657667009"),
    (K256, 10, T10, "0123456789", "1001623463"),
    (K256, 36, T36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"),
]


def _digits(text: str) -> list[int]:
    return [ALPHA.index(c) for c in text]


def _text(digits: list[int]) -> str:
    return "".join(ALPHA[d] for d in digits)


@pytest.mark.parametrize(("key", "radix", "tweak", "plain", "cipher"), NIST)
def test_nist_sample_vectors(key: str, radix: int, tweak: str, plain: str, cipher: str) -> None:
    ff1 = FF1(bytes.fromhex(key), radix)
    t = bytes.fromhex(tweak)
    assert _text(ff1.encrypt(_digits(plain), t)) == cipher
    assert _text(ff1.decrypt(_digits(cipher), t)) == plain
    batch = ff1.encrypt_batch(np.array([_digits(plain)] * 3), t)
    assert [_text(list(row)) for row in batch] == [cipher] * 3
    assert _text(list(ff1.decrypt_batch(batch, t)[0])) == plain


@settings(max_examples=30, deadline=None)
@given(
    radix=st.sampled_from([2, 10, 16, 36]),
    length=st.integers(2, 30),
    tweak=st.binary(max_size=20),
    seed=st.integers(0, 1000),
)
def test_batch_equals_reference(radix: int, length: int, tweak: bytes, seed: int) -> None:
    ff1 = FF1(bytes(range(16)), radix)
    length = max(length, ff1.min_length)
    rng = np.random.default_rng(seed)
    digits = rng.integers(0, radix, (4, length))
    batch = ff1.encrypt_batch(digits, tweak)
    assert batch.tolist() == [ff1.encrypt(list(row), tweak) for row in digits.tolist()]
    assert ff1.decrypt_batch(batch, tweak).tolist() == digits.tolist()


def test_bad_parameters() -> None:
    with pytest.raises(KeyMaterialError):
        FF1(b"short")
    with pytest.raises(ConfigError, match="radix"):
        FF1(bytes(16), radix=1)
    with pytest.raises(ConfigError, match="at least 6"):
        FF1(bytes(16)).encrypt([1, 2, 3])


@settings(max_examples=30, deadline=None)
@given(
    radix=st.sampled_from([2, 10, 16, 36]),
    length=st.integers(2, 40),
    tweak=st.binary(max_size=20),
    seed=st.integers(0, 1000),
)
def test_integer_batch_equals_reference(radix: int, length: int, tweak: bytes, seed: int) -> None:
    """``encrypt_ints`` reads each integer as a numeral string; vectorised or not, it equals the reference."""
    ff1 = FF1(bytes(range(32)), radix)
    length = max(length, ff1.min_length)
    if radix**length >= 1 << 64:
        length = max(ff1.min_length, int(63 // np.log2(radix)))
    rng = np.random.default_rng(seed)
    values = rng.integers(0, min(radix**length, 1 << 63), 5, dtype=np.uint64)
    out = ff1.encrypt_ints(values, length, tweak)
    for x, y in zip(values.tolist(), out.tolist(), strict=True):
        digits = [(x // radix**i) % radix for i in range(length - 1, -1, -1)]
        expected = ff1.encrypt(digits, tweak)
        assert y == sum(d * radix ** (length - 1 - i) for i, d in enumerate(expected))
    assert ff1.decrypt_ints(out, length, tweak).tolist() == values.tolist()


def test_integer_batch_spans_chunks_and_checks_range() -> None:
    ff1 = FF1(bytes(16), 10)
    values = np.arange(0, 10**10, 10**10 // 140_000, dtype=np.uint64)[:140_000]  # more than two chunks
    out = ff1.encrypt_ints(values, 10)
    assert ff1.decrypt_ints(out, 10).tolist() == values.tolist()
    assert out[-1] == ff1.encrypt_ints(values[-1:], 10)[0]
    assert ff1.batchable(10) and not FF1(bytes(16), 36).batchable(19)
    with pytest.raises(ConfigError, match="10-numeral"):
        ff1.encrypt_ints(np.array([10**10], dtype=np.uint64), 10)
