"""The XMI, LinkML and concept-list readers never crash: any mangled input is read or refused with
one of the project's import errors (which the edges turn into a 4xx, exit code 4, one line)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.errors import ImportError_
from kodeks.formats.models_linkml import read_linkml, write_linkml
from kodeks.formats.models_xmi import read_xmi
from tests.models.conftest import SMALL_XMI

LINKML = write_linkml(read_xmi(SMALL_XMI, "small.xmi", "sag"))


def _mangle(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for start, length, insert in cuts:
        at = start % max(len(out), 1)
        out[at : at + length] = insert
    return bytes(out)


CUTS = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=4
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CUTS)
def test_mangled_xmi_is_read_or_refused(cuts: list[tuple[int, int, bytes]]) -> None:
    data = _mangle(SMALL_XMI, cuts)
    try:
        model = read_xmi(data, "fuzz.xmi")
    except ImportError_ as exc:
        assert exc.problem and "\n" not in str(exc)
    else:
        assert model.counts()["classes"] >= 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CUTS)
def test_mangled_linkml_is_read_or_refused(cuts: list[tuple[int, int, bytes]]) -> None:
    data = _mangle(LINKML, cuts)
    try:
        read_linkml(data, "fuzz.yaml")
    except ImportError_ as exc:
        assert exc.problem and "\n" not in str(exc)
