"""Class diagrams per package: DOT text built here, drawn as SVG by Graphviz's ``dot`` (an outside
engine, run as a subprocess with a time limit). When ``dot`` is missing, :func:`render_svg` returns
``None`` and the caller shows the package's classes as a list instead.

Readable, not a hairball: a package's own classes with their attributes (at most ``MAX_ATTRIBUTES``
each), the classes of other packages they reach as bare names, and at most ``MAX_NODES`` boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from html import escape

from kodeks.domain.models.elements import Attribute, Concept, ModelClass
from kodeks.domain.models.model import InfoModel

MAX_NODES = 60
MAX_ATTRIBUTES = 12
TIMEOUT_SECONDS = 20
GRID_COLUMNS = 6


def _e(text: str) -> str:
    return escape(text, quote=True)


def _q(text: str) -> str:
    """A DOT quoted string's content: no way out of the quotes (backslashes and quotes escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def dot_source(model: InfoModel, package_id: str | None, href: Callable[[str], str] | None = None) -> str:
    """DOT text for the package's diagram. Nodes are named ``n0``, ``n1``, … (never by the model's ids,
    which come from the file), every label is escaped, and no attribute names a file."""
    own_classes = [c for c in model.classes if c.package == package_id][:MAX_NODES]
    own_concepts = [c for c in model.concepts if c.package == package_id][
        : max(0, MAX_NODES - len(own_classes))
    ]
    own: list[ModelClass | Concept] = [*own_classes, *own_concepts]
    own_ids = {c.id for c in own}
    node: dict[str, str] = {c.id: f"n{i}" for i, c in enumerate(own)}
    names = {c.id: c.name for c in model.classes} | {c.id: c.name for c in model.concepts}
    names |= {i.id: i.name for i in model.instances}
    edges: list[tuple[str, str, str]] = []
    outside: list[str] = []

    def node_for(element_id: str) -> bool:
        if element_id in node:
            return True
        if len(node) >= MAX_NODES or element_id not in names:
            return False
        node[element_id] = f"n{len(node)}"
        outside.append(element_id)
        return True

    for gen in model.generalizations:
        touches = gen.specific in own_ids or gen.general in own_ids
        if touches and node_for(gen.specific) and node_for(gen.general):
            edges.append((node[gen.specific], node[gen.general], "arrowhead=empty"))
    for assoc in model.associations:
        s, t = assoc.source.class_id, assoc.target.class_id
        if (s in own_ids or t in own_ids) and node_for(s) and node_for(t):
            mult = str(assoc.target.multiplicity) if assoc.target.multiplicity else ""
            label = " ".join(x for x in (assoc.target.role or assoc.name, mult) if x)
            edges.append((node[s], node[t], f'arrowhead=vee, label="{_q(label)}"'))
    lines = [
        "digraph model {",
        '  graph [rankdir=BT, fontname="Helvetica", nodesep=0.35, ranksep=0.55, splines=true,'
        ' bgcolor="white"];',
        '  node [shape=plain, fontname="Helvetica", fontsize=9];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    for element in own:
        table = _table(model, element.id, full=True)
        lines.append(f"  {node[element.id]} [label=<{table}>{_url(href, element.id)}];")
    for element_id in outside:
        table = _table(model, element_id, full=False)
        lines.append(f"  {node[element_id]} [label=<{table}>{_url(href, element_id)}];")
    lines.extend(f"  {a} -> {b} [{attrs}];" for a, b, attrs in edges)
    # boxes no edge reaches would stand in one long row: stack them in a grid of GRID_COLUMNS
    linked = {n for a, b, _ in edges for n in (a, b)}
    alone = [node[e.id] for e in own if node[e.id] not in linked]
    lines.extend(
        f"  {alone[i]} -> {alone[i + GRID_COLUMNS]} [style=invis];" for i in range(len(alone) - GRID_COLUMNS)
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _url(href: Callable[[str], str] | None, element_id: str) -> str:
    return f', URL="{_q(_e(href(element_id)))}", target="_top"' if href else ""


def _table(model: InfoModel, element_id: str, *, full: bool) -> str:
    cls = model.class_by_id.get(element_id)
    name = cls.name if cls else next((c.name for c in model.concepts if c.id == element_id), element_id)
    stereo = f"«{_e(', '.join(cls.stereotypes[:2]))}»<BR/>" if cls and cls.stereotypes and full else ""
    colour = "#e8eef7" if full else "#f3f3f3"
    head = f'<TR><TD BGCOLOR="{colour}">{stereo}<B>{_e(name)}</B></TD></TR>'
    rows = ""
    if cls is not None and full:
        attrs = [_attribute_line(model, a) for a in cls.attributes[:MAX_ATTRIBUTES]]
        attrs += [_e(lit.name) for lit in cls.literals[:MAX_ATTRIBUTES]]
        more = len(cls.attributes) + len(cls.literals) - len(attrs)
        if more > 0:
            attrs.append(f"… {more} flere")
        if attrs:
            rows = f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{"<BR/>".join(attrs)}</TD></TR>'
    return f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">{head}{rows}</TABLE>'


def _attribute_line(model: InfoModel, a: Attribute) -> str:
    typ = model.class_by_id[a.type_ref].name if a.type_ref in model.class_by_id else a.type_name
    mult = f" [{_e(str(a.multiplicity))}]" if a.multiplicity else ""
    return f"{_e(a.name)} : {_e(typ)}{mult}"


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def render_svg(dot: str) -> bytes | None:
    """The SVG ``dot`` draws, without its XML prolog (ready to embed); ``None`` without Graphviz."""
    exe = shutil.which("dot")
    if exe is None:
        return None
    done = subprocess.run(  # a fixed executable; the DOT text on stdin
        [exe, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=TIMEOUT_SECONDS, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode(errors='replace')[:300]}")
    svg = done.stdout
    start = svg.find(b"<svg")
    return svg[start:] if start >= 0 else svg
