"""The information-model formats: readers and writers by name, loaded on first use.

Readers take ``(data, filename, model_id)`` and return an ``InfoModel``; writers take the model and
the value domains bound to registry classifications (``element id -> BoundDomain``) and return bytes.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import Any

from kodeks.errors import UnknownFormat
from kodeks.formats.budget import MODEL_MEMORY_FACTOR

#: name -> (module, function)
READERS = {
    "xmi": ("kodeks.formats.models_xmi", "read_xmi"),
    "linkml": ("kodeks.formats.models_linkml", "read_linkml"),
    "conceptlist": ("kodeks.formats.models_conceptlist", "read_conceptlist"),
}
WRITERS = {
    "xmi": ("kodeks.formats.models_xmi_write", "write_xmi"),
    "jsonschema": ("kodeks.formats.models_jsonschema", "write_jsonschema"),
    "rdf": ("kodeks.formats.models_rdf", "write_rdf"),
    "shacl": ("kodeks.formats.models_rdf", "write_shacl"),
    "linkml": ("kodeks.formats.models_linkml", "write_linkml"),
    "html": ("kodeks.formats.models_html", "write_html"),
    "conceptlist": ("kodeks.formats.models_conceptlist", "write_conceptlist"),
}


def _load(table: dict[str, tuple[str, str]], name: str, what: str) -> Any:
    if name not in table:
        raise UnknownFormat(f"unknown model {what} format {name!r}; known: {', '.join(sorted(table))}")
    module, function = table[name]
    return getattr(importlib.import_module(module), function)


class ModelFormatRegistry:
    """The registry as the model services' ``ModelFormats`` port."""

    def reader(self, name: str) -> Any:
        return _load(READERS, name, "import")

    def memory_factor(self, name: str) -> int:
        return MODEL_MEMORY_FACTOR[name]

    def writer(self, name: str) -> Any:
        return _load(WRITERS, name, "export")

    def writer_names(self) -> list[str]:
        return sorted(WRITERS)

    def detect(self, head: bytes, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        if b"omg.org/spec/XMI" in head or b"omg.org/spec/UML" in head or suffix in (".xmi", ".xml"):
            return "xmi"
        if suffix in (".yaml", ".yml"):
            return "linkml"
        if suffix == ".xlsx" or head.startswith(b"PK"):
            return "conceptlist"
        raise UnknownFormat(
            f"no model reader recognises this file (extension {suffix!r}); "
            "use --format xmi|conceptlist|linkml",
            source=filename,
        )


def model_formats() -> ModelFormatRegistry:
    return ModelFormatRegistry()
