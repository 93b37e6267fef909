"""Render the demo repository headlessly into screenshots/*.svg (run with `make screenshots`)."""

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
    # name, size, keys pressed after loading
    ("main-80x24", (80, 24), ()),
    ("main-140x40", (140, 40), ()),
    ("main-180x45", (180, 45), ()),
    ("confirm-rollback", (80, 24), ("j", "r")),
    ("rollback-diff", (100, 30), ("j", "r", "d")),
    ("help", (80, 24), ("question_mark",)),
]


async def shoot(name: str, size: tuple[int, int], keys: tuple[str, ...], out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_STATE_HOME"] = folder  # do not touch the user's remembered choices
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
    for name, size, keys in SHOTS:
        await shoot(name, size, keys, out)


if __name__ == "__main__":
    asyncio.run(main())
