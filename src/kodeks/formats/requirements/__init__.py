"""Readers and writers of the requirement tools: a requirement set as XLSX, DOCX and ReqIF; supplier
answers back from XLSX; requirements from ReqIF.

    EXPORTS[name](rset, lines) -> bytes          xlsx | docx | reqif
    MEDIA_TYPES[name], EXTENSIONS[name]

Each writer is imported when first used (python-docx and reqif load only for their format).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kodeks.domain.requirements.tender import Line, RequirementSet
from kodeks.errors import InvalidRequest

Writer = Callable[[RequirementSet, Sequence[Line]], bytes]

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "reqif": "application/xml",
}
EXTENSIONS = {"xlsx": ".xlsx", "docx": ".docx", "reqif": ".reqif"}


def export(name: str, rset: RequirementSet, lines: Sequence[Line]) -> bytes:
    """The set in format ``name``; ``InvalidRequest`` for an unknown format."""
    if name == "xlsx":
        from kodeks.formats.requirements.xlsx import write_set
    elif name == "docx":
        from kodeks.formats.requirements.docx import write_set
    elif name == "reqif":
        from kodeks.formats.requirements.reqif import write_set
    else:
        raise InvalidRequest(f"unknown export format {name[:20]!r}; one of {', '.join(MEDIA_TYPES)}")
    return write_set(rset, lines)
