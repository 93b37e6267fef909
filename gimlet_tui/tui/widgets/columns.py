"""Which timeline columns fit a width, and how wide each is: the columns give way in a stated order.

On-call needs, on the row of each release: its state, its age, the version's message and its author.
Those always stay. The rest gives way, one step at a time, until the row fits without a horizontal
scrollbar:

1. the image tag goes (it is the version in most deploys; the detail pane shows the image),
2. the ref goes (branch or PR: the detail pane's first line),
3. "by" goes (who or which policy triggered it: the detail pane's title),
4. hashes shorten: the gitops sha from 10 to 7 characters, the version's from 8 to 7,
5. ages shorten: "25 minutes ago" becomes "25m ago",
6. the gitops column goes (the detail pane's title names the commit),
7. the author column narrows from 14 to 10.

The optional columns (1-3) stay only while the release column keeps ROOMY characters; the others give
way only when the release column would be narrower than RELEASE_MIN.
"""

from __future__ import annotations

from dataclasses import dataclass

PADDING = 2  # a DataTable cell's padding, both sides
RELEASE_MIN = 24  # "8662bbf Login page redesi": a short sha and some words
ROOMY = 32  # the release column's width below which optional columns give way
RELEASE_FLOOR = 12  # when nothing else can give way

AGE_FULL, AGE_SHORT = 14, 8  # "25 minutes ago", "11mo ago"
HASH_FULL, HASH_SHORT = 10, 7
VERSION_FULL = 8


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


@dataclass(frozen=True)
class ColumnPlan:
    """The columns shown, in order, and how the cells are written."""

    columns: tuple[Column, ...]
    short_hashes: bool = False
    short_ages: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def version_width(self) -> int:
        return HASH_SHORT if self.short_hashes else VERSION_FULL

    def width_of(self, key: str) -> int:
        return next(column.width for column in self.columns if column.key == key)


OPTIONAL = (("image", "image", 14), ("ref", "ref", 20), ("by", "by", 10))  # in the order they give way
ORDER = ("when", "gitops", "state", "release", "image", "author", "by", "ref")  # left to right


def plan_columns(width: int) -> ColumnPlan:
    """The columns for a table `width` cells wide (its scrollbar excluded), following the order above."""
    optional = list(OPTIONAL)
    short_hashes = short_ages = False
    gitops = True
    author = 14

    def fixed() -> list[tuple[str, str, int]]:
        widths = {"when": AGE_SHORT if short_ages else AGE_FULL, "state": 11, "release": 0, "author": author}
        if gitops:
            widths["gitops"] = HASH_SHORT if short_hashes else HASH_FULL
        widths.update((key, width) for key, _, width in optional)
        return [(key, key, widths[key]) for key in ORDER if key in widths]

    def release_width() -> int:
        columns = fixed()
        return width - sum(w for _, _, w in columns) - PADDING * len(columns)

    while optional and release_width() < ROOMY:
        optional.pop(0)
    steps = iter(("hashes", "ages", "gitops", "author"))
    while release_width() < RELEASE_MIN:
        step = next(steps, None)
        if step is None:
            break
        if step == "hashes":
            short_hashes = True
        elif step == "ages":
            short_ages = True
        elif step == "gitops":
            gitops = False
        else:
            author = 10
    rest = max(RELEASE_FLOOR, release_width())  # below this the row may be cut at the right
    columns = tuple(Column(key, label, w or rest) for key, label, w in fixed())
    return ColumnPlan(columns, short_hashes, short_ages)
