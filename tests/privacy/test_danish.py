"""The Danish test table made by ``kodeks.privacy.testdata``, and every privacy tool run on it.

KLE is KL's copyright: the table is generated here from the shared data and never stored in the repository.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from kodeks.cli.privacy import app
from kodeks.privacy import cpr, testdata
from kodeks.privacy.anonymize import AnonymizationConfig, anonymize
from kodeks.privacy.errors import InputError
from kodeks.privacy.fidelity import fidelity
from kodeks.privacy.hierarchy import from_arx_csv
from kodeks.privacy.keys import SecretKey
from kodeks.privacy.models import DistinctLDiversity, KAnonymity
from kodeks.privacy.pseudonymize import Rule, pseudonymize
from kodeks.privacy.risk import assess
from kodeks.privacy.synthesize import synthesize
from kodeks.privacy.verify import verify

QIS = ("alder", "koen", "kommune", "kle")
KEY = SecretKey(bytes(range(1, 33)))
AS_OF = dt.date(2026, 1, 1)
NEEDED = (
    "dk_municipalities/dawa_testdata_dagi_kommune.json",
    "dk_municipalities/iholas_kommunerne_regioner.json",
    "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt",
)


@pytest.fixture(scope="module")
def sources(data_dir: Path) -> testdata.DanishSources:
    missing = [name for name in NEEDED if not (data_dir / name).is_file()]
    if missing:
        pytest.skip(f"the Danish test table needs {', '.join(missing)} in the shared data (see SOURCES.md)")
    return testdata.load_sources(data_dir)


@pytest.fixture(scope="module")
def danish(sources: testdata.DanishSources) -> pl.DataFrame:
    return testdata.generate(sources, 4000, seed=11)


def test_the_table_is_deterministic(sources: testdata.DanishSources, danish: pl.DataFrame) -> None:
    assert danish.columns == list(testdata.COLUMNS)
    assert testdata.generate(sources, 4000, seed=11).equals(danish)
    assert not testdata.generate(sources, 4000, seed=12).equals(danish)
    with pytest.raises(InputError):
        testdata.generate(sources, 0)


def test_cpr_numbers_are_valid_unique_and_agree_with_age_and_sex(danish: pl.DataFrame) -> None:
    assert danish["cpr"].n_unique() == danish.height
    recent_failing = recent = 0
    for number, age, sex in danish.select("cpr", "alder", "koen").iter_rows():
        parsed = cpr.parse(number)
        born = parsed.birth_date
        completed = AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))
        assert completed == age, number
        assert parsed.male == (sex == "M")
        assert int(number[7]) in cpr.allowed_seventh(born.year)
        if born >= testdata.CHECKED_UNTIL:
            recent += 1
            recent_failing += not cpr.modulus11(parsed.digits)
        else:
            assert cpr.modulus11(parsed.digits), number
    assert recent > 100 and 0.15 < recent_failing / recent < 0.45
    assert danish["alder"].min() == 0 and danish["alder"].max() >= 95  # type: ignore[operator]


def test_municipalities_and_regions_are_the_real_ones(
    sources: testdata.DanishSources, danish: pl.DataFrame
) -> None:
    by_code = {m.code: m for m in sources.municipalities}
    assert len(by_code) == 98 and not {"99", "999", "411"} & set(by_code)
    assert set(danish["kommune"].unique()) <= set(by_code)
    assert by_code["217"].region == "Region Hovedstaden"  # Helsingør, missing from the region list
    assert by_code["751"].region == "Region Midtjylland"  # Aarhus, spelled Århus there
    assert by_code["820"].region == "Region Nordjylland"  # Vesthimmerland(s)
    regions: dict[str, int] = {}
    for m in sources.municipalities:
        regions[m.region] = regions.get(m.region, 0) + 1
    assert regions == {
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
    }
    counts = dict(danish["kommune"].value_counts().iter_rows())
    assert counts["101"] > 10 * counts.get("825", 0)  # København outweighs Læsø


def test_kle_emner_come_from_the_plan_and_generalize_by_dots(
    sources: testdata.DanishSources, danish: pl.DataFrame
) -> None:
    assert set(danish["kle"].unique()) <= set(sources.kle)
    h = testdata.hierarchies(sources, danish)["kle"]
    code = danish["kle"][0]
    assert [h.generalize(code, level) for level in range(4)] == [code, code[:5], code[:2], "*"]
    young = danish.filter(pl.col("alder").is_between(6, 17))["kle"].str.slice(0, 2)
    assert (young == "17").mean() > 0.3  # type: ignore[operator]  # school cases for school-age children


def test_pseudonymize_the_danish_table(danish: pl.DataFrame) -> None:
    rules = [Rule("cpr", "ff1-cpr"), Rule("notat", "cpr-text")]
    out = pseudonymize(danish, rules, KEY, "test-danish").frame
    assert (out["cpr"] != danish["cpr"]).all()
    for number in out["cpr"].head(500):
        cpr.parse(number)  # still real birth dates under the century rule
    assert (
        out["cpr"].str.slice(-1).cast(pl.Int32) % 2 == danish["cpr"].str.slice(-1).cast(pl.Int32) % 2
    ).all()
    back = pseudonymize(out, [Rule("cpr", "ff1-cpr")], KEY, "test-danish", decrypt=True).frame
    assert back["cpr"].equals(danish["cpr"])
    notes = out["notat"].to_list()
    originals = danish["notat"].to_list()
    for before, after, number in zip(originals, notes, danish["cpr"].to_list(), strict=True):
        assert number not in after and number.replace("-", "") not in after
        if "konto 32" in before:
            assert after == before  # ten digits that are not a CPR number stay
        elif number in before or number.replace("-", "") in before:
            assert "CPR-" in after
    hashed = pseudonymize(danish, [Rule("cpr", "hmac")], KEY, "test-danish").frame["cpr"]
    assert hashed.n_unique() == danish.height and hashed.str.len_chars().max() == 32


def test_anonymize_the_danish_table_with_registry_style_hierarchies(
    sources: testdata.DanishSources, danish: pl.DataFrame
) -> None:
    models = (KAnonymity(5), DistinctLDiversity("afgoerelse", 2))
    config = AnonymizationConfig(
        QIS,
        testdata.hierarchies(sources, danish),
        models,
        0.05,
        identifiers=("cpr", "notat"),
        recoding="global",
    )
    result = anonymize(danish, config)
    released = result.frame.collect()
    assert set(released.columns) == {"alder", "koen", "kommune", "kle", "afgoerelse"}
    verdict = verify(released, QIS, models, 0.05, original_rows=danish.height, reference=danish)
    assert verdict.ok, verdict.failures
    assert verdict.min_class_size >= 5
    kept = released.filter(pl.col("kommune") != "*")
    level = result.levels["kommune"]
    expected = {0: set(danish["kommune"]), 1: {m.region for m in sources.municipalities}, 2: {"*"}}[level]
    assert set(kept["kommune"]) <= expected
    before = assess(danish, QIS)
    after = assess(released, QIS, exclude_suppressed=True)
    assert before.sample_uniques > 0.5 and after.sample_uniques == 0 and after.prosecutor_max <= 0.2


def test_mondrian_on_the_danish_table(sources: testdata.DanishSources, danish: pl.DataFrame) -> None:
    models = (KAnonymity(5), DistinctLDiversity("afgoerelse", 2))
    hierarchies = testdata.hierarchies(sources, danish)
    base = {"identifiers": ("cpr", "notat"), "numeric": ("alder",)}
    local = anonymize(danish, AnonymizationConfig(QIS, hierarchies, models, recoding="local", **base))  # type: ignore[arg-type]
    released = local.frame.collect()
    verdict = verify(released, QIS, models, 0.0, reference=danish)
    assert verdict.ok, verdict.failures
    assert local.recoding == "local" and local.suppressed_rows == 0 and released.height == danish.height
    regions = {m.region for m in sources.municipalities}
    assert set(released["kommune"]) <= set(danish["kommune"]) | regions | {"*"}
    ages = released["alder"].unique().to_list()
    assert all(a.replace("-", "").isdigit() for a in ages)  # ranges of ages such as 30-34
    glob = anonymize(danish, AnonymizationConfig(QIS, hierarchies, models, recoding="global", **base))  # type: ignore[arg-type]
    assert glob.global_loss is not None and local.local_loss is not None
    assert local.local_loss < glob.global_loss
    auto = anonymize(danish, AnonymizationConfig(QIS, hierarchies, models, **base))  # type: ignore[arg-type]
    expected = "local" if glob.global_loss > 0.3 and local.local_loss <= 0.8 * glob.global_loss else "global"
    assert auto.recoding == expected


def test_risk_and_synthesis_on_the_danish_table(
    sources: testdata.DanishSources, danish: pl.DataFrame
) -> None:
    risk = assess(danish, ["alder", "koen", "kommune"])
    assert risk.records == danish.height and risk.classes < danish.height and risk.sample_uniques > 0.3
    region = {m.code: m.region for m in sources.municipalities}
    bigger = testdata.generate(sources, 20_000, seed=5)
    coarse = bigger.select(
        (pl.col("alder") // 10 * 10).cast(pl.String),
        "koen",
        pl.col("kommune").replace_strict(region).alias("region"),
        pl.col("kle").str.slice(0, 2),
        "afgoerelse",
    )
    half = coarse.height // 2
    train, holdout = coarse[:half], coarse[half:]
    synth = synthesize(train, epsilon=1.0, seed=3).frame
    report = fidelity(train, synth, target="afgoerelse", holdout=holdout)
    floor = fidelity(train, holdout).tvd_2way
    assert report.tvd_1way < 0.05 and report.tvd_2way < floor + 0.05
    assert report.tstr_accuracy is not None and report.tstr_accuracy > 0.5


def test_cli_makes_the_table_hierarchy_and_config_that_anonymize_uses(data_dir: Path, tmp_path: Path) -> None:
    for name in NEEDED:
        if not (data_dir / name).is_file():
            pytest.skip(f"{name} not in the shared data")
    runner = CliRunner()
    target = tmp_path / "danish.csv"
    res = runner.invoke(
        app, ["make-testdata", str(target), "--data-dir", str(data_dir), "--rows", "1500", "--seed", "4"]
    )
    assert res.exit_code == 0, res.output
    table = pl.read_csv(target, infer_schema=False)
    assert table.height == 1500 and table.columns == list(testdata.COLUMNS)
    hierarchy = from_arx_csv(tmp_path / "kommune_region.csv", "kommune")
    assert hierarchy.generalize("101", 1) == "Region Hovedstaden"
    res = runner.invoke(
        app,
        [
            "anonymize",
            str(target),
            str(tmp_path / "out.csv"),
            "-c",
            str(tmp_path / "danish_testdata.yaml"),
            "--json",
            str(tmp_path / "report.json"),
        ],
    )
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["verification"]["ok"]
    released = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert "cpr" not in released.columns and "notat" not in released.columns
    res = runner.invoke(app, ["make-testdata", str(tmp_path / "x.csv"), "--data-dir", str(tmp_path)])
    assert res.exit_code != 0 and not (tmp_path / "x.csv").exists()
