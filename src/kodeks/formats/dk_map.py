"""A map of Denmark's municipalities as inline SVG, each coloured by a measure, from a TopoJSON of
the municipality boundaries (DAGI 2014 as published: objects with ``KOMKODE`` and ``KOMNAVN``).

The arcs are decoded (quantized, delta-encoded) and projected equirectangularly with the longitude
scaled by cos 56° (Denmark's middle latitude): good enough for a country-sized choropleth.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from html import escape
from typing import Any

from kodeks.errors import InputTooLarge, MalformedInput

MAX_BYTES = 20 * 1024 * 1024
_COS = math.cos(math.radians(56))


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale = topo.get("transform", {}).get("scale", [1, 1])
    translate = topo.get("transform", {}).get("translate", [0, 0])
    quantized = "transform" in topo
    out = []
    for arc in topo["arcs"]:
        x = y = 0.0
        points = []
        for p in arc:
            if quantized:
                x, y = x + p[0], y + p[1]
                points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
            else:
                points.append((float(p[0]), float(p[1])))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(points[1:] if ring else points)
    return ring


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _colour(value: float) -> str:
    v = min(1.0, max(0.0, value))
    light, dark = (222, 235, 247), (8, 48, 107)
    r, g, b = (round(a + (b - a) * v) for a, b in zip(light, dark, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def svg_map(topojson: bytes, values: Mapping[str, float], *, width: int = 480, label: str = "") -> str:
    """The municipalities coloured by ``values`` (municipality code, three digits → 0…1; missing: grey)."""
    if len(topojson) > MAX_BYTES:
        raise InputTooLarge("the boundary file is larger than 20 MB")
    try:
        topo = json.loads(topojson)
        arcs = _arcs(topo)
        geometries = [g for obj in topo["objects"].values() for g in obj.get("geometries", [])]
        shapes = []
        for g in geometries:
            props = g.get("properties") or {}
            code = str(props.get("KOMKODE", "")).lstrip("0").zfill(3)
            rings = [_ring(ring, arcs) for polygon in _polygons(g) for ring in polygon]
            shapes.append((code, str(props.get("KOMNAVN", code)), rings))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise MalformedInput(f"not a TopoJSON of municipalities ({type(exc).__name__})") from None
    points = [p for _, _, rings in shapes for ring in rings for p in ring]
    if not points:
        raise MalformedInput("the TopoJSON holds no boundaries")
    xs, ys = [p[0] * _COS for p in points], [p[1] for p in points]
    x0, y1 = min(xs), max(ys)
    k = width / (max(xs) - x0)
    height = math.ceil((y1 - min(ys)) * k)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    if label:
        parts.append(f"<title>{escape(label)}</title>")
    for code, name, rings in shapes:
        d = " ".join(
            "M" + " L".join(f"{(x * _COS - x0) * k:.1f},{(y1 - y) * k:.1f}" for x, y in ring) + " Z"
            for ring in rings
            if ring
        )
        value = values.get(code)
        fill = _colour(value) if value is not None else "#dddddd"
        shown = f"{value:.1%}" if value is not None else "–"
        parts.append(
            f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.4">'
            f"<title>{escape(name)} ({code}): {shown}</title></path>"
        )
    parts.append("</svg>")
    return "".join(parts)
