"""FF1 format-preserving encryption (NIST SP 800-38G) on AES from ``cryptography``.

:class:`FF1` has a reference implementation for one numeral string (any radix 2..65536, any tweak), tested
against the NIST sample vectors, and a batch implementation in NumPy that runs the ten Feistel rounds for many
values at once. The batch works on integers (``NUM_radix`` of the numeral string, so a CPR number or a rank is
encrypted without ever being split into digits): each round builds all AES blocks as two 64-bit words per
value (the CBC-MAC over ``P`` and the constant part of ``Q`` is computed once per call), encrypts them with
one AES-ECB call into a reused buffer, and adds ``NUM(S) mod radix^m`` with vector arithmetic. It covers every
case where ``radix^n < 2^64`` and ``S`` is one 8-byte word (``b <= 4``, so ``d = 8``); anything else uses the
reference code. Values are processed in chunks that stay in the CPU cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kodeks.privacy.errors import ConfigError, KeyMaterialError

DigitArray = npt.NDArray[np.int64]
U64Array = npt.NDArray[np.uint64]
ROUNDS = 10


def _num(digits: Sequence[int], radix: int) -> int:
    x = 0
    for d in digits:
        x = x * radix + d
    return x


def _str(x: int, radix: int, m: int) -> list[int]:
    out = [0] * m
    for i in range(m - 1, -1, -1):
        x, out[i] = divmod(x, radix)
    return out


class FF1:
    def __init__(self, key: bytes, radix: int = 10, min_length: int | None = None) -> None:
        if len(key) not in (16, 24, 32):
            raise KeyMaterialError("FF1 needs an AES key of 16, 24 or 32 bytes")
        if not 2 <= radix <= 1 << 16:
            raise ConfigError(f"FF1 radix must be in 2..65536, got {radix}")
        self.radix = radix
        self._ecb = Cipher(algorithms.AES(key), modes.ECB())
        length = 2
        while radix**length < 1_000_000:
            length += 1
        self.min_length = max(length, min_length or 0)

    def _aes(self, data: bytes) -> bytes:
        enc = self._ecb.encryptor()
        return enc.update(data) + enc.finalize()

    def _prf(self, data: bytes) -> bytes:
        y = bytes(16)
        for i in range(0, len(data), 16):
            y = self._aes(bytes(a ^ b for a, b in zip(y, data[i : i + 16], strict=True)))
        return y

    def _params(self, n: int, tweak: bytes) -> tuple[int, int, int, int, bytes]:
        if n < self.min_length:
            raise ConfigError(
                f"FF1 input must have at least {self.min_length} numerals (radix^len >= 1,000,000)"
            )
        u, v = n // 2, n - n // 2
        b = ((self.radix**v - 1).bit_length() + 7) // 8
        d = 4 * ((b + 3) // 4) + 4
        p = bytes([1, 2, 1]) + self.radix.to_bytes(3, "big") + bytes([10, u % 256]) + n.to_bytes(4, "big")
        p += len(tweak).to_bytes(4, "big")
        return u, v, b, d, p

    def _round_y(self, p: bytes, tweak: bytes, i: int, num: int, b: int, d: int) -> int:
        q = tweak + bytes((-len(tweak) - b - 1) % 16) + bytes([i]) + num.to_bytes(b, "big")
        r = self._prf(p + q)
        s = r
        j = 1
        while len(s) < d:
            s += self._aes(bytes(x ^ y for x, y in zip(r, j.to_bytes(16, "big"), strict=True)))
            j += 1
        return int.from_bytes(s[:d], "big")

    def encrypt(self, digits: Sequence[int], tweak: bytes = b"") -> list[int]:
        n = len(digits)
        u, v, b, d, p = self._params(n, tweak)
        a, bb = list(digits[:u]), list(digits[u:])
        for i in range(ROUNDS):
            m = u if i % 2 == 0 else v
            y = self._round_y(p, tweak, i, _num(bb, self.radix), b, d)
            c = (_num(a, self.radix) + y) % self.radix**m
            a, bb = bb, _str(c, self.radix, m)
        return a + bb

    def decrypt(self, digits: Sequence[int], tweak: bytes = b"") -> list[int]:
        n = len(digits)
        u, v, b, d, p = self._params(n, tweak)
        a, bb = list(digits[:u]), list(digits[u:])
        for i in range(ROUNDS - 1, -1, -1):
            m = u if i % 2 == 0 else v
            y = self._round_y(p, tweak, i, _num(a, self.radix), b, d)
            c = (_num(bb, self.radix) - y) % self.radix**m
            bb, a = a, _str(c, self.radix, m)
        return a + bb

    # -- batch ---------------------------------------------------------------------------------------------
    def batchable(self, n: int) -> bool:
        """True when ``n``-numeral values go through the vectorised integer path."""
        v = n - n // 2
        b = ((self.radix**v - 1).bit_length() + 7) // 8
        return bool(self.radix**n < (1 << 64)) and b <= 4

    def encrypt_ints(self, values: U64Array, n: int, tweak: bytes = b"") -> U64Array:
        """Encrypt integers ``0 <= x < radix**n`` read as ``n``-numeral strings (``NUM_radix``)."""
        return self._ints(values, n, tweak, decrypt=False)

    def decrypt_ints(self, values: U64Array, n: int, tweak: bytes = b"") -> U64Array:
        return self._ints(values, n, tweak, decrypt=True)

    def encrypt_batch(self, digits: DigitArray, tweak: bytes = b"") -> DigitArray:
        """Encrypt every row of ``digits`` (shape (values, length), numerals in ``0 .. radix - 1``)."""
        return self._digits(digits, tweak, decrypt=False)

    def decrypt_batch(self, digits: DigitArray, tweak: bytes = b"") -> DigitArray:
        return self._digits(digits, tweak, decrypt=True)

    def _digits(self, digits: DigitArray, tweak: bytes, decrypt: bool) -> DigitArray:
        count, n = digits.shape
        if count == 0:
            return digits.copy()
        if not self.batchable(n):
            fn = self.decrypt if decrypt else self.encrypt
            return np.array([fn(list(row), tweak) for row in digits.tolist()], dtype=np.int64)
        out = self._ints(_to_num(digits, self.radix), n, tweak, decrypt)
        return _from_num(out, self.radix, n)

    def _round_constants(self, n: int, tweak: bytes) -> tuple[int, int, list[tuple[int, int]]]:
        """``radix^u``, ``radix^v`` and, per round, the two block words before ``NUM(B)`` is XORed in."""
        u, v, b, _d, p = self._params(n, tweak)
        q_const = tweak + bytes((-len(tweak) - b - 1) % 16)
        prefix_len = len(q_const) + 1 + b - 16  # bytes of Q before its last block
        y_prefix = self._prf(p + q_const[:prefix_len])
        words = []
        for i in range(ROUNDS):
            last = q_const[prefix_len:] + bytes([i]) + bytes(b)
            block = bytes(x ^ y for x, y in zip(last, y_prefix, strict=True))
            words.append((int.from_bytes(block[:8], "big"), int.from_bytes(block[8:], "big")))
        return self.radix**u, self.radix**v, words

    def _ints(self, values: U64Array, n: int, tweak: bytes, decrypt: bool) -> U64Array:
        x = np.ascontiguousarray(values, dtype=np.uint64)
        if x.shape[0] == 0:
            return x.copy()
        if not self.batchable(n):
            digits = _from_num(x, self.radix, n)
            fn = self.decrypt if decrypt else self.encrypt
            rows = [fn(list(row), tweak) for row in digits.tolist()]
            return _to_num(np.array(rows, dtype=np.int64).reshape(-1, n), self.radix)
        if int(x.max()) >= self.radix**n:
            raise ConfigError(f"FF1 input is not an {n}-numeral value in radix {self.radix}")
        mod_u, mod_v, words = self._round_constants(n, tweak)
        plan = [(i, np.uint64(mod_u if i % 2 == 0 else mod_v), words[i]) for i in range(ROUNDS)]
        if decrypt:
            plan.reverse()
        out = np.empty_like(x)
        encryptor = self._ecb.encryptor()
        for start in range(0, x.shape[0], CHUNK):
            out[start : start + CHUNK] = _feistel(encryptor, x[start : start + CHUNK], mod_v, plan, decrypt)
        return out


CHUNK = 1 << 16
Plan = list[tuple[int, np.uint64, tuple[int, int]]]


def _feistel(encryptor: Any, x: U64Array, mod_v: int, plan: Plan, decrypt: bool) -> U64Array:
    """The ten rounds over one chunk; ``x = NUM(A) * radix^v + NUM(B)``."""
    count = x.shape[0]
    radix_v = np.uint64(mod_v)
    a, b = x // radix_v, x % radix_v
    block = np.empty((count, 2), dtype=np.uint64)
    block_bytes = block.reshape(-1).view(np.uint8)
    result = bytearray(count * 16 + 15)
    words = np.frombuffer(result, dtype=np.uint64, count=count * 2).reshape(count, 2)
    for _i, modulus, (w0, w1) in plan:
        source = a if decrypt else b
        block[:, 0] = _swap(w0)
        block[:, 1] = (source ^ np.uint64(w1)).byteswap()
        encryptor.update_into(block_bytes, result)
        y = words[:, 0].byteswap() % modulus
        if decrypt:
            c = b + (modulus - y)  # (NUM(B) - y) mod radix^m, never negative
            c[c >= modulus] -= modulus
            a, b = c, a
        else:
            c = a + y
            c[c >= modulus] -= modulus
            a, b = b, c
    return a * radix_v + b


def _swap(word: int) -> np.uint64:
    return np.uint64(int.from_bytes(word.to_bytes(8, "big"), "little"))


def _to_num(digits: DigitArray, radix: int) -> U64Array:
    acc = np.zeros(digits.shape[0], dtype=np.uint64)
    for j in range(digits.shape[1]):
        acc = acc * np.uint64(radix) + digits[:, j].astype(np.uint64)
    return acc


def _from_num(values: U64Array, radix: int, m: int) -> DigitArray:
    out = np.empty((values.shape[0], m), dtype=np.int64)
    x = values.copy()
    r = np.uint64(radix)
    for j in range(m - 1, -1, -1):
        out[:, j] = (x % r).astype(np.int64)
        x //= r
    return out
