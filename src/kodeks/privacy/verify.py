"""Independent verification of a released table.

Deliberately shares no code with the search: it groups the *released* values with Polars and recomputes every
guarantee in plain Python from the definitions. A class whose quasi-identifiers are all ``*`` is the
suppressed records; it counts against the suppression limit unless it satisfies the models itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from kodeks.privacy.errors import ColumnError, VerificationError
from kodeks.privacy.models import (
    AverageRisk,
    DistinctLDiversity,
    EntropyLDiversity,
    KAnonymity,
    MaxRisk,
    PrivacyModel,
    RecursiveCLDiversity,
    TCloseness,
)

TOL = 1e-9


@dataclass
class Verdict:
    ok: bool
    n_rows: int
    n_classes: int
    suppressed_rows: int
    min_class_size: int
    failures: list[str] = field(default_factory=list)

    def raise_if_failed(self) -> None:
        if not self.ok:
            raise VerificationError("released data fails verification: " + "; ".join(self.failures))


def _distribution(counter: Counter[str]) -> dict[str, float]:
    total = sum(counter.values())
    return {k: v / total for k, v in counter.items()}


def _tree_emd(p: dict[str, float], q: dict[str, float], model: TCloseness) -> float:
    assert model.hierarchy is not None
    rows = {row[0]: row for row in model.hierarchy.rows}
    top = model.hierarchy.height - 1
    total = 0.0
    for level in range(1, top + 1):
        extra_child: dict[tuple[int, str], float] = {}
        for value in set(p) | set(q):
            key = (level - 1, rows[value][level - 1])
            extra_child[key] = extra_child.get(key, 0.0) + p.get(value, 0.0) - q.get(value, 0.0)
        parents: dict[str, tuple[float, float]] = {}
        for (_, child), extra in extra_child.items():
            parent = next(rows[v][level] for v in rows if rows[v][level - 1] == child)
            pos, neg = parents.get(parent, (0.0, 0.0))
            parents[parent] = (pos + max(extra, 0.0), neg + max(-extra, 0.0))
        total += level / top * sum(min(pos, neg) for pos, neg in parents.values())
    return total


def _emd(p: dict[str, float], q: dict[str, float], model: TCloseness) -> float:
    values = sorted(set(p) | set(q))
    if model.distance == "equal":
        return 0.5 * sum(abs(p.get(v, 0.0) - q.get(v, 0.0)) for v in values)
    if model.distance == "ordered":
        try:
            values = sorted(values, key=float)
        except ValueError:
            values = sorted(values)
        m = len(q)
        if m < 2:
            return 0.0
        running, total = 0.0, 0.0
        for v in values[:-1]:
            running += p.get(v, 0.0) - q.get(v, 0.0)
            total += abs(running)
        return total / (m - 1)
    return _tree_emd(p, q, model)


def _class_ok(
    model: PrivacyModel, size: int, sens: dict[str, Counter[str]], ref: dict[str, dict[str, float]]
) -> bool:
    if isinstance(model, KAnonymity):
        return size >= model.k
    if isinstance(model, MaxRisk):
        return 1.0 / size <= model.threshold + TOL
    if isinstance(model, AverageRisk):
        return True
    counter = sens[model.column]
    if isinstance(model, DistinctLDiversity):
        return len(counter) >= model.l
    if isinstance(model, EntropyLDiversity):
        dist = _distribution(counter)
        entropy = -sum(p * math.log(p) for p in dist.values() if p > 0)
        return entropy >= math.log(model.l) - TOL
    if isinstance(model, RecursiveCLDiversity):
        r = sorted(counter.values(), reverse=True)
        return len(r) >= model.l and r[0] < model.c * sum(r[model.l - 1 :])
    return _emd(_distribution(counter), ref[model.column], model) <= model.t + TOL


def verify(
    released: pl.DataFrame | pl.LazyFrame,
    quasi_identifiers: Sequence[str],
    models: Sequence[PrivacyModel],
    suppression_limit: float = 0.0,
    original_rows: int | None = None,
    reference: pl.DataFrame | pl.LazyFrame | None = None,
) -> Verdict:
    """Recompute the models on ``released``.

    ``original_rows`` and ``reference`` (the input) are needed when suppressed rows were dropped.
    """
    lazy = released.lazy()
    names = lazy.collect_schema().names()
    sens_cols = sorted({m.column for m in models if hasattr(m, "column")})
    missing = [c for c in [*quasi_identifiers, *sens_cols] if c not in names]
    if missing:
        raise ColumnError(f"released data lacks column(s) {missing}")
    qis = list(quasi_identifiers)
    text = [pl.col(c).cast(pl.String).fill_null("") for c in [*qis, *sens_cols]]
    grouped = lazy.select(text).group_by([*qis, *sens_cols]).agg(pl.len().alias("__n")).collect()
    ref_frame = (reference.lazy() if reference is not None else lazy).select(
        [pl.col(c).cast(pl.String).fill_null("") for c in sens_cols]
    )
    ref: dict[str, dict[str, float]] = {}
    for c in sens_cols:
        counts = ref_frame.group_by(c).agg(pl.len().alias("__n")).collect()
        ref[c] = _distribution(Counter(dict(zip(counts[c].to_list(), counts["__n"].to_list(), strict=True))))
    classes: dict[tuple[str, ...], tuple[int, dict[str, Counter[str]]]] = {}
    for row in grouped.iter_rows():
        key = tuple(row[: len(qis)])
        n = int(row[-1])
        size, sens = classes.get(key, (0, {c: Counter() for c in sens_cols}))
        for i, c in enumerate(sens_cols):
            sens[c][row[len(qis) + i]] += n
        classes[key] = (size + n, sens)
    n_rows = sum(size for size, _ in classes.values())
    total_rows = original_rows if original_rows is not None else n_rows
    failures: list[str] = []
    suppressed = total_rows - n_rows
    allowed = math.floor(suppression_limit * total_rows + 1e-9)
    kept_sizes: list[int] = []
    all_star = tuple("*" for _ in qis)
    if all_star in classes and suppressed + classes[all_star][0] <= allowed:
        suppressed += classes.pop(all_star)[0]
    for key, (size, sens) in classes.items():
        bad = [m for m in models if not _class_ok(m, size, sens, ref)]
        if not bad:
            kept_sizes.append(size)
        else:
            failures.append(
                f"class {dict(zip(qis, key, strict=True))} ({size} rows) fails {bad[0].describe()}"
            )
            if len(failures) >= 5:
                break
    if suppressed > allowed:
        failures.append(f"{suppressed} suppressed rows exceed the limit of {allowed}")
    for m in models:
        if isinstance(m, AverageRisk):
            kept = sum(kept_sizes)
            if kept and len(kept_sizes) / kept > m.threshold + TOL:
                failures.append(f"average risk {len(kept_sizes) / kept:.4f} exceeds {m.threshold}")
    return Verdict(
        ok=not failures,
        n_rows=n_rows,
        n_classes=len(kept_sizes),
        suppressed_rows=suppressed,
        min_class_size=min(kept_sizes) if kept_sizes else 0,
        failures=failures,
    )
