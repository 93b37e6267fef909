"""`release list -o wide`: one row per release, with the absolute time and zone, author, images and who rolled it back."""

from __future__ import annotations

from datetime import datetime

from gimlet_tui.cli.output import Style
from gimlet_tui.describe import author, message, state_word, version_sha
from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import one_line, safe

HEADERS = ("GITOPS SHA", "CREATED", "STATE", "VERSION", "AUTHOR", "IMAGES", "ROLLED BACK BY", "MESSAGE")
STATE_COLOURS = {"CURRENT": "1;32", "ROLLED BACK": "1;31", "DELETED": "33"}


def local_time(timestamp: int) -> str:
    """The time in the local zone (TZ), with its offset: 2026-11-26 10:16:00 +0100."""
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")


def _rolled_back_by(entry: HistoryEntry, reverts: dict[str, HistoryEntry]) -> str:
    if entry.rolled_back_by is None:
        return "-"
    revert = reverts.get(entry.rolled_back_by)
    who = f" {one_line(revert.author_name)}" if revert is not None else ""
    return f"{entry.rolled_back_by[:10]}{who}"


def _row(entry: HistoryEntry, reverts: dict[str, HistoryEntry]) -> tuple[str, ...]:
    images = ",".join(safe(i.image) for i in entry.deployed.images) if entry.deployed else ""
    return (
        entry.short,
        local_time(entry.committed_at),
        state_word(entry) or "-",
        version_sha(entry) or "-",
        author(entry) or "-",
        images or "-",
        _rolled_back_by(entry, reverts),
        message(entry),
    )


def wide_table(entries: list[HistoryEntry], style: Style) -> str:
    """The releases among `entries` as an aligned table (the reverts among them name who rolled back)."""
    reverts = {e.sha: e for e in entries if e.kind is EntryKind.REVERT}
    rows = [HEADERS, *(_row(e, reverts) for e in entries if e.kind is EntryKind.RELEASE)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS) - 1)]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        colour = STATE_COLOURS.get(row[2]) if number else None
        if colour:
            cells[2] = style(cells[2], colour)
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
