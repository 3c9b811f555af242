"""The hostile-file set: hostile inputs built in code (nothing large is committed).

Each XML builder takes the root element the target reader expects, so the same attack reaches
every XML reader in the registry. ``PADDING`` is the trick that slipped past the old guard, which
looked for ``<!DOCTYPE``/``<!ENTITY`` in the first 64 KiB only: a comment longer than that before
the DOCTYPE.
"""

from __future__ import annotations

import io
import zipfile

PADDING = b"<!--" + b" padding " * 8_000 + b"-->\n"  # 72 KB > 64 KiB
XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _doc(root: str, subset: bytes, body: bytes, *, padding: bytes = b"") -> bytes:
    name = root.split()[0].encode()
    doctype = b"<!DOCTYPE " + name + b" [" + subset + b"]>\n"
    return XML_DECL + padding + doctype + b"<" + root.encode() + b">" + body + b"</" + name + b">"


def laughs(levels: int) -> bytes:
    """Entity declarations that expand to ``10**levels`` characters."""
    decls = [b'<!ENTITY l0 "lollollol0">']
    for n in range(1, levels + 1):
        decls.append(b'<!ENTITY l%d "' % n + b"&l%d;" % (n - 1) * 10 + b'">')
    return b"".join(decls)


def hostile_xml(root: str, body: bytes = b"<x>%s</x>") -> dict[str, bytes]:
    """Named hostile documents: root element ``root`` (with attributes), ``body`` holding the reference."""
    return {
        # 4 levels expand to a 100,000-character text: harmless, but it imported before the fix.
        "padded-entities": _doc(root, laughs(4), body % b"&l4;", padding=PADDING),
        "billion-laughs": _doc(root, laughs(9), body % b"&l9;"),
        "padded-billion-laughs": _doc(root, laughs(9), body % b"&l9;", padding=PADDING),
        "external-file": _doc(root, b'<!ENTITY x SYSTEM "file:///etc/passwd">', body % b"&x;"),
        "external-http": _doc(root, b'<!ENTITY x SYSTEM "http://127.0.0.1:9/x">', body % b"&x;"),
        "parameter-entity": _doc(root, b'<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;', body % b""),
        "external-dtd": XML_DECL
        + PADDING
        + b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">\n<'
        + root.encode()
        + b"/>",
        "utf16-entities": _doc(root, laughs(4), body % b"&l4;", padding=PADDING)
        .decode()
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16"),
    }


def xlsx_with_entities(workbook: bytes) -> bytes:
    """``workbook`` with a padded entity declaration put into every worksheet part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = XML_DECL + PADDING + b"<!DOCTYPE worksheet [" + laughs(4) + b"]>" + data
            dst.writestr(info, data)
    return out.getvalue()
