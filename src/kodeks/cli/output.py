"""Rich rendering of items, change sets and the list of classifications for the terminal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.domain.changes import ChangeSet
from kodeks.domain.classification import Classification
from kodeks.domain.language import shown_title
from kodeks.domain.structure import INFERRED, Inference, InferenceKind
from kodeks.domain.successors import Proposal
from kodeks.services.queries import ItemView, Version

Listed = list[tuple[Classification, list[Version]]]


def title_of(titles: Mapping[str, str]) -> str:
    """The title to show (Danish, English, the first), tagged with its language when not Danish."""
    shown = shown_title(titles)
    if shown is None:
        return ""
    lang, text = shown
    return text if lang == "da" else f"{text} ({lang})"


def print_item(console: Console, view: ItemView) -> None:
    item = view.item
    valid = f"[{item.valid.start or '-∞'}, {item.valid.end or '∞'})"
    shown = shown_title(item.titles)
    title = title_of(item.titles) or "(no title in any release)"
    console.print(
        f"[bold]{escape(view.classification)} {escape(item.code)}[/] {escape(title)}",
        highlight=False,
    )
    console.print(
        f"  valid {valid}; level {item.level}; parent {item.parent or '-'}; "
        f"{view.children} children; uuid {item.uuid}",
        highlight=False,
        markup=False,
    )
    if INFERRED in item.properties:
        console.print(
            f"  inferred: {item.properties[INFERRED]}", highlight=False, markup=False, soft_wrap=True
        )
    if item.replaced_by:
        console.print(f"  replaced by {', '.join(item.replaced_by)}", highlight=False, markup=False)
    if view.successors_now:
        console.print(f"  valid today as {', '.join(view.successors_now)}", highlight=False, markup=False)
    for lang, title in sorted(item.titles.items()):
        if shown is None or lang != shown[0]:
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


def inference_lines(inferences: Sequence[Inference], shown: int = 12) -> list[str]:
    """What the structural rule inferred, one line per kind: how many, and the first codes."""
    lines = []
    for kind, label in (
        (InferenceKind.RETIRED, "groups retired (no child left)"),
        (InferenceKind.UNTITLED_PARENT, "parents inferred without a title (in no release)"),
        (InferenceKind.PARENT, "parents inferred, content carried from an earlier release"),
    ):
        codes = [i.code for i in inferences if i.kind is kind]
        if codes:
            more = f", … ({len(codes) - shown} more)" if len(codes) > shown else ""
            lines.append(f"{len(codes)} {label}: {', '.join(codes[:shown])}{more}")
    return lines


def print_proposals(console: Console, proposals: Sequence[Proposal]) -> None:
    console.print(
        f"[bold]proposed moves[/] ({len(proposals)}; nothing is applied: accept them in a change set)"
    )
    table = Table("old", "new", "score", "why", "titles")
    for p in proposals:
        table.add_row(
            escape(p.old),
            escape(p.new),
            f"{p.score:.2f}",
            escape(", ".join(p.reasons)),
            escape(f"{p.old_title} → {p.new_title}"),
        )
    console.print(table)


def print_changes(console: Console, cid: str, cs: ChangeSet) -> None:
    console.print(
        f"[bold]{escape(cid)}[/] from {cs.from_date} to {cs.to_date}: "
        + ", ".join(f"{n} {k}" for k, n in cs.counts.items()),
        highlight=False,
    )
    table = Table("change", "code", "detail")
    for i in cs.added:
        table.add_row("added", escape(i.code), escape(title_of(i.titles)))
    for i in cs.expired:
        table.add_row("expired", escape(i.code), escape(title_of(i.titles)))
    for r in cs.renamed:
        table.add_row("renamed", escape(r.code), escape(f"{r.old_title} → {r.new_title}"))
    for m in cs.moved:
        table.add_row("moved", escape(m.old), escape(f"→ {m.new} ({m.kind})"))
    for r in cs.reused:
        table.add_row("reused", escape(r.code), escape(f"{r.old_title} → {r.new_title}"))
    console.print(table)


def print_classifications(console: Console, listed: Listed) -> None:
    """One row per classification; ids in full whatever the width (they are typed back exactly).

    Too narrow for a table beside the longest id, each classification is printed as a block instead.
    """
    if not listed:
        hint = "no classifications yet: kodeks import FILE (or kodeks demo --no-serve)"
        console.print(hint, highlight=False)
        return
    id_width = max(len(c.id) for c, _ in listed)
    if console.width < id_width + 50:
        for c, versions in listed:
            owner = f" (owner {c.owner})" if c.owner else ""
            console.print(f"[bold]{escape(c.id)}[/]  {escape(c.title())}{escape(owner)}", soft_wrap=True)
            for v in versions:
                console.print(f"  {v.release_date}: {escape(v.label)}", soft_wrap=True, highlight=False)
        return
    table = Table(expand=False)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("title", overflow="fold")
    table.add_column("versions (release date: label)", overflow="fold")
    table.add_column("owner", overflow="fold")
    for c, versions in listed:
        shown = "\n".join(f"{v.release_date}: {v.label}" for v in versions) or "-"
        table.add_row(c.id, escape(c.title()), escape(shown), escape(c.owner or ""))
    console.print(table)


def classification_rows(listed: Listed) -> list[dict[str, Any]]:
    """The list as JSON: each classification with its versions, oldest first."""
    return [
        {
            "id": c.id,
            "title": c.title(),
            "titles": dict(c.titles),
            "owner": c.owner,
            "versions": [
                {
                    "label": v.label,
                    "release_date": v.release_date.isoformat(),
                    "valid_from": v.valid.start.isoformat() if v.valid.start else None,
                    "valid_to": v.valid.end.isoformat() if v.valid.end else None,
                    "items": v.item_count,
                    "recorded_at": v.recorded_at.isoformat(),
                }
                for v in versions
            ],
        }
        for c, versions in listed
    ]
