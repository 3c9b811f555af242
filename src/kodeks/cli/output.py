"""Rich rendering of items and change sets for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.domain.changes import ChangeSet
from kodeks.services.queries import ItemView


def print_item(console: Console, view: ItemView) -> None:
    item = view.item
    valid = f"[{item.valid.start or '-∞'}, {item.valid.end or '∞'})"
    console.print(
        f"[bold]{escape(view.classification)} {escape(item.code)}[/] {escape(item.title())}", highlight=False
    )
    console.print(
        f"  valid {valid}; level {item.level}; parent {item.parent or '-'}; "
        f"{view.children} children; uuid {item.uuid}",
        highlight=False,
        markup=False,
    )
    if item.replaced_by:
        console.print(f"  replaced by {', '.join(item.replaced_by)}", highlight=False, markup=False)
    if view.successors_now:
        console.print(f"  valid today as {', '.join(view.successors_now)}", highlight=False, markup=False)
    for lang, title in sorted(item.titles.items()):
        if lang != "da":
            console.print(f"  title ({lang}): {title}", highlight=False, markup=False)
    for ref in item.legal_refs:
        console.print(
            f"  legal: {ref.title}" + (f" ({ref.reference})" if ref.reference else ""),
            highlight=False,
            markup=False,
        )
    if item.keywords:
        console.print(
            "  keywords: " + ", ".join(k.term for k in item.keywords[:12]), highlight=False, markup=False
        )
    if item.description:
        console.print("")
        console.print(item.description, highlight=False, markup=False)


def print_changes(console: Console, cid: str, cs: ChangeSet) -> None:
    console.print(
        f"[bold]{escape(cid)}[/] from {cs.from_date} to {cs.to_date}: "
        + ", ".join(f"{n} {k}" for k, n in cs.counts.items()),
        highlight=False,
    )
    table = Table("change", "code", "detail")
    for i in cs.added:
        table.add_row("added", escape(i.code), escape(i.title()))
    for i in cs.expired:
        table.add_row("expired", escape(i.code), escape(i.title()))
    for r in cs.renamed:
        table.add_row("renamed", escape(r.code), escape(f"{r.old_title} → {r.new_title}"))
    for m in cs.moved:
        table.add_row("moved", escape(m.old), escape(f"→ {m.new} ({m.kind})"))
    console.print(table)
