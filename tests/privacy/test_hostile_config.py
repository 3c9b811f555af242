"""Issue 17.9: the privacy CLI on hostile or awkward jobs gives one line, never a traceback or a hang.

``k: five`` and its kind are refused naming the setting; a quasi-identifier without a hierarchy is refused;
``recoding: auto`` falls back to Mondrian when the lattice is too large to search; synthesis of a wide table
of numbers read as text bins them, so the fidelity report stays small.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from kodeks.cli.main import run
from kodeks.privacy.anonymize import anonymize
from kodeks.privacy.config import parse_config
from kodeks.privacy.errors import SearchSpaceTooLarge
from kodeks.privacy.fidelity import BINS, _encode, fidelity
from kodeks.privacy.synthesize import numbers_in_text

DATA = "age,sex,zip,disease\n" + "".join(
    f"{20 + i % 40},{'MK'[i % 2]},{8000 + i % 7},{'abc'[i % 3]}\n" for i in range(60)
)


def _anonymize_cli(tmp_path: Path, config: str) -> tuple[int, str]:
    (tmp_path / "data.csv").write_text(DATA)
    (tmp_path / "job.yaml").write_text(config)
    code = run(
        [
            "privacy",
            "anonymize",
            str(tmp_path / "data.csv"),
            str(tmp_path / "out.csv"),
            "-c",
            str(tmp_path / "job.yaml"),
        ]
    )
    return code, ""


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("models: [{type: k-anonymity, k: five}]", "model 'k-anonymity': k must be a number, got 'five'"),
        ("models: [{type: k-anonymity, k: 2.5}]", "k must be a whole number, got 2.5"),
        ("models: [{type: k-anonymity, k: [5]}]", "k must be a number, got [5]"),
        ("models: [{type: max-risk, threshold: high}]", "threshold must be a number, got 'high'"),
        ("models: [{type: l-diversity, column: disease, l: two}]", "l must be a number, got 'two'"),
        ("models: [k-anonymity]", "each model must be a mapping"),
        ("models: {type: k-anonymity, k: 5}", "'models' must be a list"),
        (
            "models: [{type: k-anonymity, k: 2}]\nsuppression_limit: lots",
            "suppression_limit must be a number",
        ),
    ],
)
def test_bad_numbers_give_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    code, _ = _anonymize_cli(tmp_path, "quasi_identifiers:\n  age: {type: identity}\n" + config + "\n")
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert message in err and err.count("\n") == 0, err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("spec", ["", " {}", " null", " identity"])
def test_a_quasi_identifier_without_hierarchy_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str
) -> None:
    qis = f"quasi_identifiers:\n  age:{spec}\n  sex: {{type: identity}}\n"
    config = qis + "models: [{type: k-anonymity, k: 2}]\n"
    code, _ = _anonymize_cli(tmp_path, config)
    err = capsys.readouterr().err.strip()
    assert code == 1 and err.count("\n") == 0, err
    assert "quasi-identifier 'age'" in err and ("has no hierarchy" in err or "unknown hierarchy type" in err)


def _wide(columns: int, rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    return pl.DataFrame({f"q{i}": [str(v) for v in rng.integers(0, 1000, rows)] for i in range(columns)})


def _config(frame: pl.DataFrame, recoding: str, models: str = "[{type: k-anonymity, k: 3}]") -> object:
    import yaml

    widths = "[2, 4, 8, 16, 32, 64, 128, 256, 512]"  # 11 levels per column: 11**7 > 5,000,000 nodes
    qis = {c: yaml.safe_load(f"{{type: interval, widths: {widths}}}") for c in frame.columns}
    data = {"quasi_identifiers": qis, "models": yaml.safe_load(models), "recoding": recoding}
    return parse_config(data, Path("."), lambda c: frame[c].unique().to_list())


def test_auto_falls_back_to_mondrian_when_the_lattice_is_too_large() -> None:
    frame = _wide(7, 300)
    result = anonymize(frame, _config(frame, "auto"))  # type: ignore[arg-type]
    assert result.recoding == "local" and result.global_loss is None
    assert result.global_skipped is not None and "nodes" in result.global_skipped
    with pytest.raises(SearchSpaceTooLarge, match="more than 5,000,000"):
        anonymize(frame, _config(frame, "global"))  # type: ignore[arg-type]
    with pytest.raises(SearchSpaceTooLarge):  # Mondrian cannot enforce average risk: no fallback
        anonymize(frame, _config(frame, "auto", "[{type: average-risk, threshold: 0.2}]"))  # type: ignore[arg-type]


def _numbers_as_text(columns: int, rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(3)
    return pl.DataFrame(
        {f"v{i:02d}": [f"{v / 100:.2f}" for v in rng.permutation(rows * 10)[:rows]] for i in range(columns)}
    )


def test_numbers_read_as_text_are_numbers_unless_they_look_like_codes() -> None:
    assert numbers_in_text(pl.Series(["1.5", "-2", "", None, "1e3"])).dtype == pl.Float64
    assert numbers_in_text(pl.Series(["0101", "0102", "12"])).dtype == pl.String  # codes keep their zeros
    assert numbers_in_text(pl.Series(["1", "x"])).dtype == pl.String


def test_fidelity_of_a_wide_numeric_table_is_binned() -> None:
    """24 columns of ~22,000 distinct numbers each, read as text: 2-way marginals of 22,000² cells before."""
    real = _numbers_as_text(24, 22_000)
    assert real["v00"].n_unique() == 22_000
    synthetic = real.sample(fraction=1.0, shuffle=True, seed=1)
    _, sizes = _encode([real, synthetic], real.columns)
    assert max(sizes) <= BINS
    report = fidelity(real, synthetic, sample=200)
    assert report.tvd_1way == pytest.approx(0.0)  # the same values, shuffled per row: same 1-way marginals


def test_synthesize_cli_on_a_wide_numeric_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = _numbers_as_text(24, 3_000)  # the CLI path; the full 22,000 values are the test above
    real.write_csv(tmp_path / "wide.csv")
    args = ["privacy", "synthesize", str(tmp_path / "wide.csv"), str(tmp_path / "synth.csv")]
    assert run([*args, "--method", "mst", "--seed", "1"]) == 0, capsys.readouterr().err
    synth = pl.read_csv(tmp_path / "synth.csv", infer_schema=False)
    assert synth.columns == real.columns
    assert max(synth[c].n_unique() for c in synth.columns) <= BINS + 1  # intervals (and "(other)")
