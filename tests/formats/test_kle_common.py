"""Shared KLE rules: the two classifications, code levels and parents, guidance text."""

from __future__ import annotations

import pytest
from lxml import etree

from kodeks.errors import MalformedInput
from kodeks.formats.kle_common import (
    decode_utf8,
    facet_level,
    facet_parent,
    facets_classification,
    guidance_text,
    html_text,
    kle_classification,
    kle_level,
    kle_parent,
)


def test_classifications() -> None:
    kle = kle_classification()
    assert kle.id == "kle" and kle.copyrighted
    assert kle.owner == kle.publisher == "KL (Kommunernes Landsforening)"
    assert kle.source_uri == "https://www.kle-online.dk" and kle.code_order == "natural"
    assert set(kle.titles) == {"da", "en"}
    assert facets_classification().id == "kle-handlingsfacetter"
    assert kle_classification("kle-751").id == "kle-751"


def test_kle_codes() -> None:
    assert [kle_parent("27.24.00"), kle_parent("27.24"), kle_parent("27")] == ["27.24", "27", None]
    assert [kle_level(c) for c in ("27", "27.24", "27.24.00")] == [1, 2, 3]
    for bad in ("2", "27.2", "27.24.00.01", "27.24.00\n", "٢٧", "A01"):
        with pytest.raises(ValueError, match="not a KLE number"):
            kle_level(bad)


def test_facet_codes() -> None:
    assert [facet_level("G"), facet_level("G01"), facet_level("Ø62")] == [1, 2, 2]
    assert [facet_parent("G01"), facet_parent("G")] == ["G", None]
    for bad in ("g01", "G1", "GG", "01"):
        with pytest.raises(ValueError, match="handlingsfacet"):
            facet_level(bad)


def guidance(markup: str) -> str | None:
    return guidance_text(etree.fromstring(f"<VejledningTekst>{markup}</VejledningTekst>"))


def test_guidance_text() -> None:
    assert guidance("<p>  a\n\t b </p><p/><p>c</p>") == "a b\n\nc"
    assert guidance("<p>før<ul><li>x</li><li><b>y</b> z</li></ul>efter</p>") == "før\n\n- x\n- y z\n\nefter"
    assert guidance("<p><ol><li>en</li><li>to</li></ol></p>") == "1. en\n2. to"
    assert guidance("<p>linje<br/>næste</p>") == "linje\nnæste"
    assert guidance("<p> </p>") is None
    assert guidance("") is None


def test_html_text() -> None:
    assert html_text("<p>a &amp; b&nbsp;c</p><ul><li>x</ul>") == "a & b c\n\n- x"
    assert html_text("ren tekst") == "ren tekst"
    assert html_text("  \n ") is None


def test_decode_utf8() -> None:
    assert decode_utf8("\ufeffæ".encode(), "f.txt") == "æ"
    with pytest.raises(MalformedInput) as err:
        decode_utf8(b"ok\nok\n\xe6\n", "f.txt")
    assert err.value.location == "line 3" and "f.txt" in str(err.value) and "0xe6" in str(err.value)
