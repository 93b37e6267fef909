"""Two commits of gimlet-tui on one measurement, their runs alternating in one loop: medians and minimums.

For a change whose effect is about as large as the benchmark's noise between runs:

    python bench/compare.py BASE NEW --what first-rows [--size 100000] [--runs 20]

Each commit is exported (`git archive`) into a temporary folder and byte-compiled; every run starts
in /tmp with PYTHONPATH naming that folder (started from the project folder, `python -m` would load
the project's own code first, whatever PYTHONPATH says). What is measured:
- first-rows, first-rows-cold: the TUI in a pseudo-terminal, from spawn to the newest release's sha
  on screen, with a warm or a fresh history index; beside it, the minimal Textual app's first paint;
- cold, warm: `release list --limit 0 -o json` on the repository with Bloom filters, with a fresh or
  a warm history index; beside it, `git log --format=%H -- <app>`.
The repositories are the benchmark's (bench/.cache, made by `make bench` when missing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from pty_screen import Terminal
from run import APP, HERE, floor_painted, fresh_dir, git_log, listing, newest_rows, tool_env, tui, variants

PROJECT = HERE.parent


def export(rev: str) -> str:
    """The commit's files in a new folder, byte-compiled."""
    folder = tempfile.mkdtemp(prefix=f"compare-{rev[:12]}-")
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    subprocess.run([sys.executable, "-m", "compileall", "-q", f"{folder}/gimlet_tui"], check=True)
    return folder


def full_listing(repo: Path) -> list[str]:
    return listing(repo, "--limit", "0", "-o", "json")


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd="/tmp", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def first_rows(repo: Path, tree: str, cold: bool) -> float:
    cache = fresh_dir("compare")
    if not cold:
        timed(full_listing(repo), tool_env(cache, PYTHONPATH=tree))
    newest = newest_rows(repo, APP, 1)[0]
    terminal = tui(repo, cache, PYTHONPATH=tree)
    try:
        return terminal.wait_for(lambda s: newest in s.text())
    finally:
        terminal.close()


def floor_paint() -> float:
    terminal = Terminal([sys.executable, str(HERE / "floor_app.py")])
    try:
        return terminal.wait_for(floor_painted)
    finally:
        terminal.close()


def measures(what: str, size: int) -> tuple[str, Callable[[], float], Callable[[str], float]]:
    """(the floor's name, the floor, the measurement of one tree)."""
    repos = variants(size)
    if what.startswith("first-rows"):
        return (
            "minimal Textual app, first paint",
            floor_paint,
            lambda tree: first_rows(repos["graph"], tree, "cold" in what),
        )
    bloom = repos["bloom"]
    warm_caches: dict[str, str] = {}

    def read(tree: str) -> float:
        if what == "cold":
            return timed(full_listing(bloom), tool_env(fresh_dir("compare"), PYTHONPATH=tree))
        if tree not in warm_caches:
            warm_caches[tree] = fresh_dir("compare")
            timed(full_listing(bloom), tool_env(warm_caches[tree], PYTHONPATH=tree))
        return timed(full_listing(bloom), tool_env(warm_caches[tree], PYTHONPATH=tree))

    return (
        "git log --format=%H -- <app>",
        lambda: timed(git_log(bloom)),
        read,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--what", choices=["first-rows", "first-rows-cold", "cold", "warm"], default="first-rows")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    trees = {args.base: export(args.base), args.new: export(args.new)}
    os.chdir("/tmp")  # the TUI's processes start where this one is: never in the project folder
    floor_name, floor, measure = measures(args.what, args.size)
    times: dict[str, list[float]] = {"floor": [], **{rev: [] for rev in trees}}
    for _ in range(args.runs):
        times["floor"].append(floor())
        for rev, tree in trees.items():
            times[rev].append(measure(tree))
    floor_median = statistics.median(times["floor"])
    print(f"{args.what} at {args.size:,} commits, {args.runs} runs each, alternating; load {os.getloadavg()[0]:.1f}")
    print(f"  {floor_name}: median {floor_median:.3f} s, min {min(times['floor']):.3f} s")
    for rev in trees:
        median = statistics.median(times[rev])
        print(f"  {rev}: median {median:.3f} s ({median / floor_median:.2f}x), min {min(times[rev]):.3f} s")


if __name__ == "__main__":
    main()
