"""Render the demo repository headlessly into screenshots/*.svg (run with `make screenshots`).

The same showcase app and frozen clock as the snapshot tests; each shot at a size, after some keys,
with or without colour (NO_COLOR is read when the app is made).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the showcase app the snapshot tests use too

from helpers import settle, showcase_app  # noqa: E402

SHOTS = [
    # name, size, keys pressed after loading, without colour
    ("main-80x24", (80, 24), (), False),
    ("main-80x24-no-color", (80, 24), (), True),
    ("main-60x15", (60, 15), (), False),
    ("main-120x40", (120, 40), (), False),
    ("main-200x50", (200, 50), (), False),
    ("rolled-back-80x24", (80, 24), ("k",), False),
    ("lists-80x24", (80, 24), ("e",), False),
    ("confirm-rollback", (80, 24), ("j", "r"), False),
    ("confirm-rollback-no-color", (80, 24), ("j", "r"), True),
    ("rollback-diff", (100, 30), ("j", "r", "d"), False),
    ("help", (80, 24), ("question_mark",), False),
]


async def shoot(name: str, size: tuple[int, int], keys: tuple[str, ...], no_color: bool, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_STATE_HOME"] = folder  # do not touch the user's remembered choices
        if no_color:
            os.environ["NO_COLOR"] = "1"
        else:
            os.environ.pop("NO_COLOR", None)
        app = showcase_app(folder)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(out / f"{name}.svg")


async def main() -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    wanted = set(sys.argv[1:])
    for name, size, keys, no_color in SHOTS:
        if not wanted or name in wanted:
            await shoot(name, size, keys, no_color, out)


if __name__ == "__main__":
    asyncio.run(main())
