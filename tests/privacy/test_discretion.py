"""Danmarks Statistik's discretion rule: no published count under 3 individuals, and no suppressed cell that
can be worked out from the margins (checked with an integer program written independently here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from typer.testing import CliRunner

from kodeks.api.errors import install
from kodeks.api.privacy import build_router
from kodeks.cli.privacy import app
from kodeks.errors import Unauthorized
from kodeks.privacy.discretion import DiscretionRule, count_table, protect
from kodeks.privacy.errors import ColumnError, ConfigError, InputError


def frame_of(counts: dict[tuple[str, str], int]) -> pl.DataFrame:
    rows = [(a, b) for (a, b), n in counts.items() for _ in range(n)]
    return pl.DataFrame(rows, schema=["a", "b"], orient="row")


def feasible_range(grid: np.ndarray, hidden: np.ndarray, cell: tuple[int, int], low: int) -> tuple[int, int]:
    """Smallest and largest integer value of ``cell`` consistent with the published two-way table."""
    cells = [tuple(c) for c in np.argwhere(hidden)]
    index = {c: i for i, c in enumerate(cells)}
    r, c = grid.shape
    rows, bounds = [], []
    lines = [[(i, j) for j in range(c)] for i in range(r)] + [[(i, j) for i in range(r)] for j in range(c)]
    for line in lines:  # the cells of each row and column add up to the last one (the total)
        coef = np.zeros(len(cells))
        known = 0
        for k, pos in enumerate(line):
            sign = -1 if k == len(line) - 1 else 1
            if pos in index:
                coef[index[pos]] += sign
            else:
                known += sign * int(grid[pos])
        if coef.any():
            rows.append(coef)
            bounds.append(-known)
    constraint = LinearConstraint(np.array(rows), bounds, bounds)
    goal = np.zeros(len(cells))
    goal[index[cell]] = 1
    found = []
    for sign in (1, -1):
        res = milp(
            sign * goal,
            constraints=constraint,
            integrality=np.ones(len(cells)),
            bounds=Bounds(low, 10**6 if hidden[-1, -1] else int(grid[-1, -1])),
        )
        assert res.status == 0
        found.append(round(sign * res.fun))
    return found[0], found[1]


def test_one_way_table_with_total() -> None:
    table = count_table(frame_of({("a", "x"): 10, ("b", "x"): 2, ("c", "x"): 7, ("d", "x"): 5}), ["a"])
    shown = dict(table.publishable().iter_rows())
    assert shown["I alt"] == "24" and shown["a"] == "10"
    assert shown["b"] == ".."  # primary
    assert sum(v == ".." for v in shown.values()) == 2  # and the smallest other cell, so b cannot be derived
    assert shown["d"] == ".."
    assert count_table(frame_of({("a", "x"): 10, ("b", "x"): 2}), ["a"], totals=False).suppressed_cells == 1


def test_two_small_cells_that_would_prove_each_other_small_get_a_third_partner() -> None:
    table = count_table(frame_of({("a", "x"): 9, ("b", "x"): 1, ("c", "x"): 1, ("d", "x"): 6}), ["a"])
    shown = dict(table.publishable().iter_rows())
    assert shown["b"] == shown["c"] == shown["d"] == ".." and shown["a"] == "9"


def test_individuals_not_rows_decide() -> None:
    cases = pl.DataFrame({"kommune": ["101"] * 10 + ["147"] * 10, "cpr": ["1", "2"] * 5 + list("abcdefghij")})
    by_rows = count_table(cases, ["kommune"])
    assert by_rows.suppressed_cells == 0
    by_people = count_table(cases, ["kommune"], unit="cpr")
    shown = dict(by_people.publishable().iter_rows())
    assert shown["101"] == ".." and shown["147"] == ".." and shown["I alt"] == "20"


def test_weights_zeros_and_combining() -> None:
    counts = pl.DataFrame({"a": ["x", "y", "z", "w"], "n": [40, 2, 0, 1]})
    table = count_table(counts, ["a"], weight="n")
    shown = dict(table.publishable().iter_rows())
    assert shown["z"] == "0" and shown["I alt"] == "43" and shown["y"] == shown["w"] == ".."
    assert dict(table.frame.iter_rows())["x"] is None  # the only partner left
    zeros = count_table(counts, ["a"], DiscretionRule(suppress_zeros=True), weight="n")
    assert dict(zeros.publishable().iter_rows())["z"] == ".."
    combined = count_table(counts, ["a"], DiscretionRule(method="combine"), weight="n")
    shown = dict(combined.publishable().iter_rows())
    assert combined.merged == {"a": ["w", "y"]}
    assert shown == {"x": "40", "z": "0", "Øvrige": "3", "I alt": "43"}
    assert combined.suppressed_cells == 0
    rare = pl.DataFrame({"a": ["x", "y", "z", "v"], "n": [40, 1, 1, 30]})
    merged = count_table(rare, ["a"], DiscretionRule(method="combine"), weight="n")
    assert dict(merged.publishable().iter_rows())["Øvrige"] == "32"  # y + z = 2 is still small: v joins
    assert merged.merged == {"a": ["y", "z", "v"]}


def test_two_way_combine_then_suppress() -> None:
    frame = frame_of(
        {("a", "x"): 5, ("a", "y"): 5, ("b", "x"): 1, ("b", "y"): 1, ("c", "x"): 4, ("c", "y"): 3}
    )
    table = count_table(frame, ["a", "b"], DiscretionRule(method="combine"))
    wide = table.wide()
    assert wide.columns == ["a", "x", "y", "I alt"]
    assert wide["a"].to_list() == ["a", "c", "Øvrige", "I alt"] or wide["a"].to_list()[-1] == "I alt"
    assert ".." not in wide.to_numpy().ravel().tolist()
    assert (table.frame["antal"] >= 3).all() or table.frame["antal"].min() == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.integers(1, 4),
    cols=st.integers(1, 4),
    data=st.data(),
)
def test_no_suppressed_cell_can_be_derived_from_a_two_way_table(
    rows: int, cols: int, data: st.DataObject
) -> None:
    inner = np.array(
        data.draw(
            st.lists(st.sampled_from([0, 1, 2, 3, 4, 7, 12]), min_size=rows * cols, max_size=rows * cols)
        )
    ).reshape(rows, cols)
    grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    grid[:rows, :cols] = inner
    grid[:rows, cols] = inner.sum(axis=1)
    grid[rows, :cols] = inner.sum(axis=0)
    grid[rows, cols] = inner.sum()
    small = (grid > 0) & (grid < 3)
    hidden = protect(grid, small)
    assert (hidden | ~small).all()  # every small cell is hidden
    assert not (hidden & (grid == 0)).any()  # zeros are shown, so they are never hidden
    for cell in map(tuple, np.argwhere(hidden)):
        low, high = feasible_range(grid, hidden, cell, 1)
        assert low < high, (grid.tolist(), hidden.tolist(), cell)
        if small[cell]:
            assert high >= 3, (grid.tolist(), hidden.tolist(), cell)


def test_counts_on_the_danish_table_are_protected(data_dir: Path) -> None:
    from kodeks.privacy import testdata

    try:
        sources = testdata.load_sources(data_dir)
    except InputError as exc:
        pytest.skip(f"Danish test table sources missing: {exc}")
    frame = testdata.generate(sources, 3000, seed=2)
    table = count_table(frame, ["kommune", "afgoerelse"], unit="cpr")
    long = table.frame
    assert long.height == (frame["kommune"].n_unique() + 1) * 5
    published = long.filter(pl.col("antal").is_not_null() & (pl.col("antal") > 0))
    assert (published["antal"] >= 3).all()
    grid = (
        table.wide()
        .drop("kommune")
        .with_columns(pl.all().replace("..", None).cast(pl.Int64))
        .to_numpy()
        .astype(float)
    )
    assert np.isnan(grid).sum() == table.suppressed_cells > 0


def test_bad_requests() -> None:
    frame = frame_of({("a", "x"): 3})
    with pytest.raises(ColumnError):
        count_table(frame, ["nope"])
    with pytest.raises(ConfigError):
        count_table(frame, [])
    with pytest.raises(ConfigError):
        count_table(frame, ["a", "a"])
    with pytest.raises(ConfigError):
        DiscretionRule(min_count=0)
    with pytest.raises(ConfigError):
        DiscretionRule(method="round")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no data"):
        count_table(frame.head(0), ["a"])
    with pytest.raises(InputError, match="weight"):
        count_table(pl.DataFrame({"a": ["x"], "n": ["many"]}), ["a"], weight="n")
    with pytest.raises(InputError, match="weight"):
        count_table(pl.DataFrame({"a": ["x"], "n": [-4]}), ["a"], weight="n")
    wide = pl.DataFrame({"a": [str(i) for i in range(1000)], "b": [str(i) for i in range(1000)]})
    with pytest.raises(ConfigError, match="cells"):
        count_table(wide, ["a", "b"])
    with pytest.raises(ConfigError, match="two columns"):
        count_table(frame, ["a"]).wide()


def test_cli_writes_markers_and_a_report(tmp_path: Path) -> None:
    frame_of({("a", "x"): 10, ("b", "x"): 2, ("c", "y"): 7}).write_csv(tmp_path / "in.csv")
    res = CliRunner().invoke(
        app,
        [
            *("aggregate", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--by", "a", "--by", "b"),
            *("--wide", "--json", str(tmp_path / "r.json"), "--marker", "x"),
        ],
    )
    assert res.exit_code == 0, res.output
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.columns == ["a", "x", "y", "I alt"] and "x" in out["x"].to_list()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["discretion"]["suppressed_cells"] >= 2
    res = CliRunner().invoke(
        app, ["aggregate", str(tmp_path / "in.csv"), str(tmp_path / "o2.csv"), "--by", "a", "--wide"]
    )
    assert res.exit_code != 0 and not (tmp_path / "o2.csv").exists()


def _client(limit: int = 1 << 20) -> TestClient:
    def require_user(authorization: str | None = Header(default=None)) -> str:
        if authorization != "Bearer good":
            raise Unauthorized("authentication required")
        return "tester"

    api = FastAPI()
    install(api)
    api.include_router(build_router(require_user, max_upload_bytes=limit))
    return TestClient(api)


def test_api_aggregate() -> None:
    client = _client()
    data = frame_of({("a", "x"): 10, ("b", "x"): 2, ("c", "x"): 7}).write_csv().encode()
    url = "/api/v1/privacy/aggregate"
    assert client.post(url, files={"file": ("in.csv", data)}, data={"by": ["a"]}).status_code == 401
    auth = {"Authorization": "Bearer good"}
    ok = client.post(url, files={"file": ("in.csv", data)}, data={"by": ["a"]}, headers=auth)
    assert ok.status_code == 200, ok.text
    assert "b,.." in ok.text and json.loads(ok.headers["X-Kodeks-Report"])["suppressed_cells"] == 2
    bad = [
        ({"by": ["nope"]}, 400),
        ({"by": ["a"], "min_count": "0"}, 400),
        ({"by": ["a"], "method": "round"}, 400),
        ({"by": ["a", "b", "a", "b"]}, 400),
        ({"by": ["a"], "unit": "<script>"}, 400),
    ]
    for form, status in bad:
        res = client.post(url, files={"file": ("in.csv", data)}, data=form, headers=auth)
        assert res.status_code == status, (form, res.text)
        assert "error" in res.json() and "<script>" not in res.json()["error"]["message"].replace(
            "'<script>'", ""
        )
    hostile = client.post(url, files={"file": ("../../in.exe", b"MZ")}, data={"by": ["a"]}, headers=auth)
    assert hostile.status_code == 400
    big = _client(limit=50).post(url, files={"file": ("in.csv", data)}, data={"by": ["a"]}, headers=auth)
    assert big.status_code == 413
