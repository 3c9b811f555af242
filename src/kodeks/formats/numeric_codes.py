"""Codes that a spreadsheet stored as numbers: ``0111`` typed into a number cell reads back as ``111``.

Readers of XLSX and XLS sheets know which cells were numbers (``table.Row.numbers``); this decides
what such a code was. ``code_width=N`` pads every number shorter than N with zeros; ``code_width=keep``
keeps them as they are. Without the option, numbers shorter than the column's codes stored as text
(all digits, one length) are padded to that length (the ILO ISCO-88 → ISCO-08 workbook stores
``0110`` as text and ``1110`` as a number); numbers of several lengths with nothing to go by are
refused naming the row (the NACE → ISIC workbook stores ISIC ``011`` and ``0111`` as ``11`` and ``111``).
A code cell holding a date or time is always refused: the same workbook holds NACE ``02.00`` as a time.
"""

from __future__ import annotations

from kodeks.errors import InvalidContent
from kodeks.formats.table import Row, Table


def date_code(value: str, source: str, where: str) -> InvalidContent:
    """The error for a code cell the spreadsheet holds as a date or time (Excel read ``02.00`` as 02:00)."""
    return InvalidContent(
        f"the code cell holds a date or time ({value}), not a code: the spreadsheet converted what was typed "
        "(a code such as 02.00 becomes the time 02:00); store the column as text and retype the code",
        source=source,
        location=where,
    )


class NumberCodes:
    """Codes a spreadsheet stored as numbers (``0111`` → ``111``): padded back, kept, or refused.

    ``code_width=N`` pads every number shorter than N; ``code_width=keep`` keeps them as they are.
    Without it, numbers shorter than the column's other codes (all digits, one length, stored as
    text) are padded to that length; numbers of several lengths with nothing to go by are refused.
    """

    def __init__(self, table: Table, columns: frozenset[int], source: str, option: str) -> None:
        self.table, self.source = table, source
        self.warnings: list[str] = []
        self.padded = 0
        self.width: int | None = None
        self.keep = option.strip().casefold() == "keep"
        self.columns = columns
        numeric = [(r, i) for r in table.rows for i in r.numbers if i in self.columns and r.cells[i]]
        if not numeric or self.keep:
            return
        if option.strip():
            if not option.strip().isdigit():
                raise InvalidContent(
                    f"code_width must be a whole number or keep, got {option!r}", source=source
                )
            self.width = int(option)
        else:
            texts = {
                len(r.cells[i])
                for r in table.rows
                for i in self.columns
                if i not in r.numbers and r.cells[i].isdigit()
            }
            lengths = {len(r.cells[i]) for r, i in numeric}
            if len(texts) == 1:
                self.width = next(iter(texts))
            elif len(lengths) > 1:
                row, index = next((r, i) for r, i in numeric if len(r.cells[i]) < max(lengths))
                raise InvalidContent(
                    f"code {row.cells[index]!r} is stored as a number, which drops leading zeros, and the "
                    "codes have several lengths; store the column as text, or set --option code_width=N "
                    "(pad numbers to N digits) or code_width=keep",
                    source=source,
                    location=table.location(row.line),
                )

    def __call__(self, row: Row, index: int) -> str:
        value = row.cells[index]
        if index in row.dates:
            raise date_code(value, self.source, self.table.location(row.line))
        if self.width is None or index not in row.numbers or not value.isdigit() or len(value) >= self.width:
            return value
        if not self.padded:
            self.warnings.append(
                f"codes stored as numbers were padded with zeros to {self.width} digits "
                f"(first: {value!r} → {value.zfill(self.width)!r} on {self.table.location(row.line)}); "
                "set --option code_width to change it"
            )
        self.padded += 1
        return value.zfill(self.width)
