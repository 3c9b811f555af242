"""A requirement set as a Word document: a title, an introduction, one section per category, and per
requirement its number, title, text (the tailored text where the set tailors it), priority,
verification, principles and rationale. Built with python-docx from its default template, or from a
municipality's own template (a .docx whose styles ``Title``, ``Heading 1`` and ``Heading 2`` are used;
its content stays in front, the set is added after it)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from kodeks.domain.requirements.requirement import PRIORITY_DA, VERIFICATION_DA
from kodeks.domain.requirements.tender import Line, RequirementSet, by_category
from kodeks.errors import InputTooLarge, MalformedInput


def _clean(text: str) -> str:
    """Word's XML refuses control characters: they become spaces."""
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)


MAX_TEMPLATE = 10 * 1024 * 1024


def write_set(rset: RequirementSet, lines: Sequence[Line], template: bytes | None = None) -> bytes:
    import docx

    doc = docx.Document(_template(template) if template is not None else None)
    doc.core_properties.title = _clean(rset.title)
    doc.add_heading(_clean(rset.title), level=0)
    if rset.description:
        doc.add_paragraph(_clean(rset.description))
    doc.add_paragraph(
        f"Kravsæt {rset.id}, revision {rset.revision}. {len(lines)} krav. "
        "Hvert krav angiver det fælles krav og den version, det stammer fra."
    )
    for category, group in by_category(lines).items():
        doc.add_heading(_clean(category), level=1)
        for line in group:
            r = line.requirement
            doc.add_heading(_clean(f"{r.id} {r.title}"), level=2)
            doc.add_paragraph(_clean(line.text))
            facts = doc.add_paragraph()
            facts.add_run("Prioritet: ").bold = True
            facts.add_run(PRIORITY_DA[line.priority])
            facts.add_run("   Verifikation: ").bold = True
            facts.add_run(VERIFICATION_DA[r.verification])
            if r.principles:
                facts.add_run("   Principper: ").bold = True
                facts.add_run(", ".join(r.principles))
            facts.add_run("   Kilde: ").bold = True
            facts.add_run(line.source + (" (lokalt tilpasset)" if line.tailored else ""))
            if r.rationale:
                p = doc.add_paragraph()
                p.add_run("Begrundelse: ").italic = True
                p.add_run(_clean(r.rationale))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _template(data: bytes) -> io.BytesIO:
    """A template checked like every input: size, a ZIP, no entity declarations in its XML parts, and
    a document python-docx can open (its styles must include the three headings used)."""
    from kodeks.formats.xml import refuse_entities_in_zip

    if len(data) > MAX_TEMPLATE:
        raise InputTooLarge(
            f"the template is {len(data):,} bytes; at most {MAX_TEMPLATE:,}", source="template"
        )
    if not data.startswith(b"PK"):
        raise MalformedInput("the template is not a .docx file (not a ZIP archive)", source="template")
    refuse_entities_in_zip(data, "template")
    import docx

    try:
        styles = {s.name for s in docx.Document(io.BytesIO(data)).styles}
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise MalformedInput(
            f"the template cannot be opened ({type(exc).__name__})", source="template"
        ) from None
    missing = sorted({"Title", "Heading 1", "Heading 2"} - styles)
    if missing:
        raise MalformedInput(f"the template lacks the styles {', '.join(missing)}", source="template")
    return io.BytesIO(data)
