"""How long `gimlet-tui serve` takes, and what a tab costs: `.venv/bin/python bench/serve_timings.py`.

On the demo repository, whole processes, medians of a few runs: from the command's start to the
URL printed; from a tab's websocket to its app showing the CURRENT release; the memory of one
tab's app; from SIGINT to the server's exit with three tabs open (every app ended).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from gimlet_tui.demo import write_demo  # noqa: E402
from served import Served, Tab, wait_until_gone  # noqa: E402

RUNS = 5


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def one_run(repo: str, env: dict[str, str]) -> tuple[float, float, float, float]:
    started = time.monotonic()
    served = Served(["--repo", repo, "--port", "0", "--env", "staging", "--app", "api"], env=env)
    to_url = time.monotonic() - started
    tabs = [Tab(served) for _ in range(3)]
    opened = time.monotonic()
    await tabs[0].__aenter__()
    await tabs[0].wait_for("CURRENT", quiet=0)
    to_screen = time.monotonic() - opened
    for tab in tabs[1:]:
        await tab.__aenter__()
        await tab.wait_for("CURRENT", quiet=0)
    apps = served.app_pids()
    memory = statistics.mean(rss_mib(pid) for pid in apps)
    stopping = time.monotonic()
    served.process.send_signal(signal.SIGINT)
    await asyncio.to_thread(served.process.wait, 60)
    to_stop = time.monotonic() - stopping
    assert wait_until_gone(apps, 5) == [], "an app outlived the server"
    for tab in tabs:
        await tab.__aexit__(None, None, None)
    return to_url, to_screen, memory, to_stop


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = write_demo(os.path.join(folder, "acme-gitops"))
        env = {**os.environ, "XDG_STATE_HOME": folder, "XDG_CACHE_HOME": folder}
        runs = [await one_run(repo, env) for _ in range(RUNS)]
    names = ("start to URL printed", "tab to CURRENT on screen", "one tab's app (RSS MiB)", "SIGINT to exit, 3 tabs")
    for index, name in enumerate(names):
        values = [run[index] for run in runs]
        unit = "" if "MiB" in name else " s"
        print(f"{name:26} median {statistics.median(values):.2f}{unit}  (min {min(values):.2f}, max {max(values):.2f})")


if __name__ == "__main__":
    asyncio.run(main())
