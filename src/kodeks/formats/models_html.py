"""A self-contained HTML model report, like DIGST's: per package its classes with definitions,
attributes (type, multiplicity, definition), associations and enumerations; concepts and instances.
No scripts, no external resources. Danish headings (the model rules' language)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from kodeks.domain.models.elements import ModelClass, tag
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain

_STYLE = (
    "body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;"
    "text-align:left;vertical-align:top}th{background:#eee}.st{color:#555}"
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def write_html(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    bound = bound or {}
    names = {c.id: c.name for c in model.classes} | {c.id: c.name for c in model.concepts}
    out = [
        "<!DOCTYPE html>",
        '<html lang="da"><head><meta charset="utf-8">',
        f"<title>{_e(model.name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(model.name)}</h1>",
        f"<p>Version: {_e(model.version or '–')} · Modeltype: {_e(model.kind)}</p>",
    ]
    if model.description:
        out.append(f"<p>{_e(model.description)}</p>")
    packages = [(p.id, p.name) for p in model.packages] or [("", model.name)]
    for pkg_id, pkg_name in packages:
        classes = [c for c in model.classes if (c.package or "") == pkg_id]
        concepts = [c for c in model.concepts if (c.package or "") == pkg_id]
        instances = [i for i in model.instances if (i.package or "") == pkg_id]
        if not (classes or concepts or instances):
            continue
        path = " / ".join(p.name for p in model.package_path(pkg_id)) or pkg_name
        out.append(f'<h2 id="{_e(pkg_id)}">{_e(path)}</h2>')
        for cls in classes:
            out.extend(_class(model, cls, names, bound))
        if concepts:
            out.append("<h3>Begreber</h3><table><tr><th>Begreb</th><th>Definition</th><th>Kilde</th></tr>")
            out.extend(
                f"<tr><td>{_e(c.name)}</td><td>{_e(c.definition)}</td><td>{_e(c.source)}</td></tr>"
                for c in concepts
            )
            out.append("</table>")
        if instances:
            out.append("<h3>Instanser</h3><table><tr><th>Navn</th><th>Klasse</th><th>URI</th></tr>")
            out.extend(
                f"<tr><td>{_e(i.name)}</td><td>{_e(names.get(i.classifier or '', ''))}</td>"
                f"<td>{_e(tag(i.tags, 'URI'))}</td></tr>"
                for i in instances
            )
            out.append("</table>")
    out.append("</body></html>")
    return ("\n".join(out) + "\n").encode()


def _class(
    model: InfoModel, cls: ModelClass, names: Mapping[str, str], bound: Mapping[str, BoundDomain]
) -> list[str]:
    stereo = f' <span class="st">«{_e(", ".join(cls.stereotypes))}»</span>' if cls.stereotypes else ""
    kind = {"enumeration": "Enumeration", "datatype": "Datatype", "primitive": "Primitiv type"}.get(
        cls.kind, "Klasse"
    )
    out = [f'<h3 id="{_e(cls.id)}">{kind}: {_e(cls.name)}{stereo}</h3>']
    if cls.definition:
        out.append(f"<p>{_e(cls.definition)}</p>")
    uri = tag(cls.tags, "URI")
    if uri:
        out.append(f"<p>URI: {_e(uri)}</p>")
    supers = [names.get(s, s) for s in model.supertypes(cls.id)]
    if supers:
        out.append(f"<p>Specialisering af: {_e(', '.join(supers))}</p>")
    if cls.attributes:
        out.append("<table><tr><th>Egenskab</th><th>Type</th><th>Multiplicitet</th><th>Definition</th></tr>")
        for a in cls.attributes:
            typ = names.get(a.type_ref or "", a.type_name)
            if a.id in bound:
                typ += f" (klassifikation {bound[a.id].classification_id})"
            mult = str(a.multiplicity) if a.multiplicity else ""
            out.append(
                f"<tr><td>{_e(a.name)}</td><td>{_e(typ)}</td><td>{_e(mult)}</td><td>{_e(a.definition)}</td></tr>"
            )
        out.append("</table>")
    roles = [a for a in model.associations if a.source.class_id == cls.id]
    if roles:
        out.append("<table><tr><th>Relation</th><th>Til</th><th>Multiplicitet</th></tr>")
        for r in roles:
            mult = str(r.target.multiplicity) if r.target.multiplicity else ""
            out.append(
                f"<tr><td>{_e(r.target.role or r.name)}</td>"
                f"<td>{_e(names.get(r.target.class_id, r.target.class_id))}"
                f"</td><td>{_e(mult)}</td></tr>"
            )
        out.append("</table>")
    if cls.literals:
        out.append("<table><tr><th>Værdi</th><th>Definition</th></tr>")
        out.extend(f"<tr><td>{_e(lit.name)}</td><td>{_e(lit.definition)}</td></tr>" for lit in cls.literals)
        out.append("</table>")
    return out
