"""A second floor, for context: what Textual's DataTable itself costs for the timeline's two moves.

A table of 8 columns (the timeline's), a line above it. `j` moves the cursor and the line says which
row is highlighted (the timeline's `j`: cursor and a pane that follows it); `n` clears the table and
fills it with 30 new rows (an app switch's first screenful). The benchmark times each key to what it
shows, through a pseudo-terminal, beside the TUI's own figures. Not a target: the issue's floor is
bench/floor_app.py; this one says how much of the gap is the table.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

COLUMNS = ("when", "gitops", "state", "release", "image", "author", "by", "ref")


def row(batch: int, n: int) -> list[Text]:
    return [
        Text(f"{n + 1} hours ago"),
        Text(f"{batch:02d}{n:08x}"[:10], style="yellow"),
        Text("CURRENT" if n == 0 else "", style="bold green"),
        Text(f"{n:08x}  change {batch}-{n} of the floor table"),
        Text(f"ghcr.io/acme/app:{n:08x}"),
        Text("Dev"),
        Text("gimlet"),
        Text("main"),
    ]


class FloorTable(App[None]):
    CSS = "DataTable { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.batch = 0

    def compose(self) -> ComposeResult:
        yield Static("row: none", id="echo")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="rows")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.fill()
        table.focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for n in range(30):
            table.add_row(*row(self.batch, n), key=f"{self.batch}-{n}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#echo", Static).update(f"row: {event.cursor_row:02d} of batch {self.batch:02d}")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key == "n":
            self.batch += 1
            self.fill()
        elif event.key == "q":
            self.exit()


if __name__ == "__main__":
    FloorTable().run()
