"""The repository itself: its licence, what git ignores, and `scripts/no-timed-tests` (see scripts/check)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "no-timed-tests"

SAMPLES = Path(__file__).parent / "fixtures" / "timed"
TIMED = {
    name: (SAMPLES / f"{file}.py.txt").read_text()
    for name, file in [
        ("direct", "direct"),
        ("through a helper", "through_a_helper"),
        ("in a class", "in_a_class"),
    ]
}
UNTIMED = (SAMPLES / "untimed.py.txt").read_text()


def run(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(folder)], capture_output=True, text=True)


@pytest.mark.parametrize("source", TIMED.values(), ids=TIMED.keys())
def test_an_assertion_on_elapsed_time_is_reported(tmp_path: Path, source: str) -> None:
    (tmp_path / "test_x.py").write_text(source)
    result = run(tmp_path)
    assert result.returncode == 1
    assert "test_x.py:" in result.stderr and "asserts on elapsed time" in result.stderr


def test_clocks_used_for_deadlines_and_tokens_are_fine(tmp_path: Path) -> None:
    (tmp_path / "test_y.py").write_text(UNTIMED)
    result = run(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_suite_asserts_on_no_elapsed_time() -> None:
    result = run(REPO / "tests")
    assert (result.returncode, result.stderr) == (0, "")


def test_the_licence_is_the_full_mpl_2_0_text_the_readme_and_pyproject_name() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("Mozilla Public License Version 2.0\n")
    assert (
        "3.1. Distribution of Source Form" in text
        and 'Exhibit B - "Incompatible With Secondary Licenses"' in text
    )
    assert "Mozilla Public License 2.0" in (REPO / "README.md").read_text(encoding="utf-8")
    assert 'license = { text = "MPL-2.0" }' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["kodeks.sqlite", "kodeks.sqlite-wal", "kodeks.sqlite-shm"])
def test_sqlite_files_and_their_write_ahead_log_are_ignored(name: str) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "check-ignore", "-q", name], cwd=REPO)
    assert result.returncode == 0, f"{name} is not in .gitignore"


FAKE_BROWSER_TESTS = """
import pytest

SKIP = pytest.mark.skip(reason="headless Chromium is missing: run scripts/browser")

@pytest.mark.browser
@SKIP
def test_one(): ...

@pytest.mark.browser
@SKIP
def test_two(): ...

@SKIP
def test_not_a_browser_test(): ...
"""


def test_skipped_browser_tests_are_counted_loudly_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "test_fake.py").write_text(FAKE_BROWSER_TESTS)
    args = ["-p", "tests.conftest", "-p", "no:cacheprovider", "-o", "markers=browser", "-q", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stdout
    assert "2 browser tests were SKIPPED" in result.stdout
    assert "2 × headless Chromium is missing: run scripts/browser" in result.stdout


def test_scripts_test_installs_chromium_or_says_why_browser_tests_skip() -> None:
    script = (REPO / "scripts" / "test").read_text()
    assert "scripts/browser" in script and "SKIPPED" in script
