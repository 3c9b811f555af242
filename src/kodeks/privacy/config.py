"""The anonymization job described in YAML: column roles, hierarchies, models, suppression and metric.

```yaml
identifiers: [cpr, navn]                 # removed from the output
quasi_identifiers:
  age: {type: interval, widths: [5, 10, 20]}
  kommune: {type: arx, path: kommune.csv}   # paths are relative to the config file
  kle: {type: dotted}
  sex: {type: identity}
models:
  - {type: k-anonymity, k: 5}
  - {type: l-diversity, column: diagnose, l: 2, variant: entropy}   # distinct | entropy | recursive (c)
  - {type: t-closeness, column: diagnose, t: 0.2, distance: equal}  # equal | ordered | hierarchical
  - {type: average-risk, threshold: 0.05}
  - {type: max-risk, threshold: 0.2}
suppression_limit: 0.05
metric: loss                              # loss | entropy | discernibility | aecs
recoding: auto                            # global | local (Mondrian) | auto, see kodeks.privacy.anonymize
max_global_loss: 0.3                      # auto: global recoding is kept up to this loss ...
local_min_gain: 0.2                       # ... and Mondrian must lose at least 20 % less to replace it
```

Quasi-identifiers with ``type: interval`` (or ``numeric: true``) are cut as numbers by Mondrian.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from kodeks.privacy import hierarchy as hier
from kodeks.privacy.anonymize import AnonymizationConfig
from kodeks.privacy.errors import ConfigError
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

ValuesOf = Callable[[str], list[str]]


def _hierarchy(column: str, spec: object, base: Path, values: ValuesOf) -> hier.Hierarchy:
    if not isinstance(spec, Mapping) or not spec:
        raise ConfigError(
            f"quasi-identifier {column!r} has no hierarchy; give one, e.g. {{type: identity}} to keep its "
            "values as they are (arx, interval, dotted, dates, identity)"
        )
    kind = spec.get("type")
    if kind == "arx":
        if "path" not in spec:
            raise ConfigError(f"quasi-identifier {column!r}: an arx hierarchy needs a 'path'")
        return hier.from_arx_csv(base / str(spec["path"]), column, spec.get("delimiter", ";"))
    if kind == "interval":
        widths = spec.get("widths", [])
        if not isinstance(widths, list):
            raise ConfigError(
                f"quasi-identifier {column!r}: widths must be a list of numbers, got {widths!r}"
            )
        return hier.from_intervals(
            column, values(column), [_number(w, f"{column!r} width", float) for w in widths]
        )
    if kind == "dotted":
        return hier.from_dotted_codes(column, values(column))
    if kind == "dates":
        return hier.from_dates(column, values(column), spec.get("levels", ("month", "year", "decade")))
    if kind == "identity":
        return hier.identity(column, values(column))
    raise ConfigError(
        f"quasi-identifier {column!r}: unknown hierarchy type {kind!r} "
        "(arx, interval, dotted, dates, identity)"
    )


def _number(value: object, what: str, kind: Callable[[Any], Any]) -> Any:
    """``value`` as an int or a float, or a ``ConfigError`` naming the setting (``k: five``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{what} must be a number, got {value!r}")
    try:
        number = kind(value)
    except ValueError:
        raise ConfigError(f"{what} must be a number, got {value!r}") from None
    if kind is int and isinstance(value, float) and value != number:
        raise ConfigError(f"{what} must be a whole number, got {value!r}")
    return number


def _model(spec: object, base: Path, values: ValuesOf) -> PrivacyModel:
    if not isinstance(spec, Mapping):
        raise ConfigError(f"each model must be a mapping such as {{type: k-anonymity, k: 5}}, got {spec!r}")
    kind = spec.get("type")

    def num(name: str, as_type: Callable[[Any], Any]) -> Any:
        return _number(spec[name], f"model {kind!r}: {name}", as_type)

    try:
        if kind == "k-anonymity":
            return KAnonymity(num("k", int))
        if kind == "max-risk":
            return MaxRisk(num("threshold", float))
        if kind == "average-risk":
            return AverageRisk(num("threshold", float))
        if kind == "l-diversity":
            variant = spec.get("variant", "distinct")
            if variant == "distinct":
                return DistinctLDiversity(spec["column"], num("l", int))
            if variant == "entropy":
                return EntropyLDiversity(spec["column"], num("l", float))
            if variant == "recursive":
                return RecursiveCLDiversity(spec["column"], num("c", float), num("l", int))
            raise ConfigError(f"unknown l-diversity variant {variant!r} (distinct, entropy, recursive)")
        if kind == "t-closeness":
            h = _hierarchy(spec["column"], spec["hierarchy"], base, values) if "hierarchy" in spec else None
            return TCloseness(spec["column"], num("t", float), spec.get("distance", "equal"), h)
    except KeyError as exc:
        raise ConfigError(f"model {kind!r} needs the setting {exc.args[0]!r}") from None
    raise ConfigError(f"unknown privacy model {kind!r}")


def parse_config(data: Mapping[str, Any], base: Path, values: ValuesOf) -> AnonymizationConfig:
    """Build the job from parsed YAML.

    ``values(column)`` lists a column's distinct values (for the hierarchies built from the data).
    """
    qis = data.get("quasi_identifiers") or {}
    if not isinstance(qis, Mapping) or not qis:
        raise ConfigError("the config needs a 'quasi_identifiers' mapping of column -> hierarchy")
    hierarchies = {c: _hierarchy(c, spec, base, values) for c, spec in qis.items()}
    models_spec = data.get("models") or []
    if not isinstance(models_spec, list):
        raise ConfigError("'models' must be a list such as [{type: k-anonymity, k: 5}]")
    models = tuple(_model(m, base, values) for m in models_spec)
    numeric = tuple(
        c
        for c, spec in qis.items()
        if isinstance(spec, Mapping) and (spec.get("type") == "interval" or spec.get("numeric") is True)
    )
    try:
        return AnonymizationConfig(
            quasi_identifiers=tuple(qis),
            hierarchies=hierarchies,
            models=models,
            suppression_limit=_number(data.get("suppression_limit", 0.0), "suppression_limit", float),
            metric=data.get("metric", "loss"),
            identifiers=tuple(data.get("identifiers") or ()),
            suppression=data.get("suppression", "mask"),
            recoding=data.get("recoding", "auto"),
            numeric=numeric,
            max_global_loss=_number(data.get("max_global_loss", 0.3), "max_global_loss", float),
            local_min_gain=_number(data.get("local_min_gain", 0.2), "local_min_gain", float),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad setting in the config: {exc}") from None


def load_config(path: Path, values: ValuesOf) -> AnonymizationConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the config {path.name}: {exc}") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"the config {path.name} must be a YAML mapping")
    return parse_config(data, path.parent, values)
