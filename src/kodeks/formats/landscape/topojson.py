"""Municipal boundaries from TopoJSON (DAGI's ``KOMKODE``) as SVG paths for the landscape map.

Reads a Topology whose geometries (Polygon or MultiPolygon) carry ``KOMKODE`` (4 digits, ``0751``)
or ``kommunekode``; decodes the quantized, delta-encoded arcs; projects longitude/latitude with the
cosine of Denmark's middle latitude (an equirectangular projection, true enough at this size) into
a 1000-unit-wide box; and joins each municipality's polygons (islands included) into one path.
"""

from __future__ import annotations

import json
import math
from typing import Any

from kodeks.domain.landscape.places import municipality_code
from kodeks.errors import InputTooLarge, MalformedInput

MAX_BYTES = 20 * 1024 * 1024
WIDTH = 1000.0
_COS = math.cos(math.radians(56.0))


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    scale = transform["scale"] if transform else (1.0, 1.0)
    shift = transform["translate"] if transform else (0.0, 0.0)
    out = []
    for arc in topology["arcs"]:
        x = y = 0.0
        points = []
        for point in arc:
            if transform:
                x += point[0]
                y += point[1]
                points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
            else:
                points.append((float(point[0]), float(point[1])))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


def read(data: bytes, source: str) -> tuple[dict[str, str], float]:
    """``{municipality code: SVG path}`` and the box's height (its width is 1000)."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"more than {MAX_BYTES // 2**20} MiB of TopoJSON", source=source)
    try:
        topology = json.loads(data)
        arcs = _arcs(topology)
        geometries = [g for o in topology["objects"].values() for g in o["geometries"]]
    except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
        raise MalformedInput(
            f"not a TopoJSON topology ({type(exc).__name__}: {str(exc)[:100]})", source=source
        ) from None
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    try:
        for g in geometries:
            props = g.get("properties") or {}
            code = municipality_code(str(props.get("KOMKODE") or props.get("kommunekode") or ""))
            if code is None:
                continue
            polygons = (
                [g["arcs"]] if g["type"] == "Polygon" else g["arcs"] if g["type"] == "MultiPolygon" else []
            )
            for polygon in polygons:
                rings.setdefault(code, []).extend(_ring(arcs, r) for r in polygon)
    except (KeyError, TypeError, IndexError) as exc:
        raise MalformedInput(f"a geometry cannot be read ({type(exc).__name__})", source=source) from None
    if not rings:
        raise MalformedInput("no geometry names a Danish municipality (KOMKODE)", source=source)
    xs = [p[0] * _COS for rs in rings.values() for r in rs for p in r]
    ys = [p[1] for rs in rings.values() for r in rs for p in r]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    factor = WIDTH / (right - left)
    height = round((top - bottom) * factor, 1)

    def path(code: str) -> str:
        parts = []
        for r in rings[code]:
            points: list[tuple[int, int]] = []
            for x, y in r:  # whole units: a point within one unit of the last adds nothing visible
                point = (round((x * _COS - left) * factor), round((top - y) * factor))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + " ".join(f"{x},{y}" for x, y in points) + "Z")
        return "".join(parts)

    return {code: path(code) for code in sorted(rings)}, height
