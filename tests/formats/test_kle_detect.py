"""The registry picks the right KLE importer for each real KLE file from its first bytes."""

from __future__ import annotations

import pytest

from kodeks.formats.registry import detect
from tests.conftest import data_file


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("kle/kle_emneplan_2015-08-01.xml", "kle-xml"),
        ("kle/os2web_taxonomies_kle_taxon_2014.xml", "kle-taxon"),
        ("kle/os2mo_kle_2023_emner.csv", "kle-os2mo"),
        ("kle/os2kle_3.23_kle_2026feb_emner_keywords.txt", "kle-os2kle"),
    ],
)
def test_real_kle_files_are_detected(relative: str, expected: str) -> None:
    path = data_file(relative)
    assert detect(path.read_bytes()[:65536], path.name).name == expected
