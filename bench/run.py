"""The benchmark: gimlet-tui against git on a 100,000-commit Gimlet repository, in one run.

Whole processes, several repetitions, medians and ratios; peak memory from the kernel's rusage of
each child. Writes bench/RESULTS.md. Run with `make bench` (not part of `make test`).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import CACHE, cached_repo  # noqa: E402

COMMITS = int(os.environ.get("BENCH_COMMITS", "100000"))
# Measure an installation as users have it: with bytecode caches (pip writes them for installed
# packages; this machine's PYTHONDONTWRITEBYTECODE would make every run compile our modules anew).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
ENV, APP = "staging", "app-07"
TOOL = [sys.executable, "-m", "gimlet_tui"]


def run(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def measure(name: str, argv, repeat: int, prepare=None, env_of=None) -> dict:
    times, memory = [], []
    for _ in range(repeat):
        context = prepare() if prepare else None
        env = env_of(context) if env_of else None
        command = argv(context) if callable(argv) else argv
        elapsed, peak = run(command, env=env)
        times.append(elapsed)
        memory.append(peak)
    result = {
        "name": name,
        "median": statistics.median(times),
        "min": min(times),
        "peak_mb": max(memory),
        "runs": repeat,
    }
    print(f"  {name:<58} {result['median']:7.3f} s  (min {result['min']:.3f})  {result['peak_mb']:5d} MB", flush=True)
    return result


def fresh_cache() -> str:
    return tempfile.mkdtemp(prefix="gimlet-bench-cache-")


def tool_env(cache: str) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": cache}


def bloom_copy(repo: Path) -> Path:
    copy = CACHE / f"gitops-{COMMITS}-bloom"
    if not (copy / ".git" / "objects" / "info" / "commit-graph").exists():
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", "--local", str(repo), str(copy)], check=True)
        subprocess.run(["git", "-C", str(copy), "commit-graph", "write", "--reachable", "--changed-paths"], check=True)
    return copy


def rollback_target(repo: Path, count: int) -> tuple[str, list[str]]:
    """A target whose rollback reverts exactly `count` commits, and those commits (newest first)."""
    os.environ["GIMLET_TUI_NO_INDEX"] = "1"
    from gimlet_tui.gitops import EntryKind, GitopsRepo, RollbackRefused, iter_history, plan_rollback

    handle = GitopsRepo.open(str(repo))
    for entry in iter_history(handle, ENV, APP):
        if entry.kind is not EntryKind.RELEASE or entry.rolled_back or entry.current:
            continue
        try:
            plan = plan_rollback(handle, ENV, APP, entry.sha)
        except RollbackRefused:
            continue
        if len(plan.reverts) >= count:
            del os.environ["GIMLET_TUI_NO_INDEX"]
            return entry.sha, [p.entry.sha for p in plan.reverts]
    raise SystemExit("no rollback of that size")


def clone(repo: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="gimlet-bench-clone-")) / "repo"
    subprocess.run(["git", "clone", "-q", "--local", str(repo), str(target)], check=True)
    return target


async def first_rows(repo: Path, cache: str) -> float:
    os.environ["XDG_CACHE_HOME"] = cache
    os.environ["XDG_STATE_HOME"] = cache
    from gimlet_tui.gitops import GitopsRepo
    from gimlet_tui.tui.app import GimletApp
    from gimlet_tui.tui.state import remember_choice
    from gimlet_tui.tui.widgets.timeline import Timeline
    from gimlet_tui.workspace import single_repository

    start = time.perf_counter()
    workspace = single_repository(GitopsRepo.open(str(repo)))
    remember_choice(workspace.key, ENV, APP)
    app = GimletApp(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        while True:
            if time.perf_counter() - start > 60:
                raise SystemExit("the timeline showed no rows within 60 s")
            screens = [s for s in app.screen_stack if s.query(Timeline)]
            if screens and screens[0].query_one(Timeline).row_count > 0:
                break
            await pilot.pause(0.005)
        elapsed = time.perf_counter() - start
        app.exit()
    return elapsed


def tui_first_rows(repo: Path, repeat: int) -> list[dict]:
    results = []
    for mode in ("cold", "warm"):
        times = []
        for _ in range(repeat):
            cache = fresh_cache()
            if mode == "warm":
                run(
                    [*TOOL, "release", "list", "--repo", str(repo), "--env", ENV, "--app", APP, "--limit", "0"],
                    env=tool_env(cache),
                )
            code = (
                f"import asyncio, sys; sys.path.insert(0, {str(HERE.parent)!r}); sys.path.insert(0, {str(HERE)!r}); import run; "
                f"print(asyncio.run(run.first_rows(__import__('pathlib').Path({str(repo)!r}), {cache!r})))"
            )
            output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            times.append(float(output.stdout.strip().splitlines()[-1]))
        result = {
            "name": f"TUI: start to first timeline rows, {mode} (in-process)",
            "median": statistics.median(times),
            "min": min(times),
            "peak_mb": 0,
            "runs": repeat,
        }
        print(f"  {result['name']:<58} {result['median']:7.3f} s  (min {result['min']:.3f})", flush=True)
        results.append(result)
    return results


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pygit2

    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"pygit2 {pygit2.__version__} (libgit2 {pygit2.LIBGIT2_VERSION}), {git_version}"
    )


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    repo = cached_repo(COMMITS)
    bloom = bloom_copy(repo)
    path = f"{ENV}/{APP}"
    listing = ["release", "list", "--repo", str(repo), "--env", ENV, "--app", APP]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "gimlet_tui")], check=True)
    warm_cache = fresh_cache()
    run(TOOL + listing + ["--limit", "0"], env=tool_env(warm_cache))
    print(f"{COMMITS:,} commits, {ENV}/{APP}; medians of {repeat} runs", flush=True)
    results = {}
    print("1. full history of one app")
    results["full_cold"] = measure(
        "gimlet-tui release list --limit 0 -o json, cold",
        TOOL + listing + ["--limit", "0", "-o", "json"],
        repeat,
        fresh_cache,
        tool_env,
    )
    results["full_warm"] = measure(
        "gimlet-tui release list --limit 0 -o json, warm",
        TOOL + listing + ["--limit", "0", "-o", "json"],
        repeat,
        env_of=lambda _: tool_env(warm_cache),
    )
    results["git_log"] = measure(
        f"git log --format=%H -- {path}", ["git", "-C", str(repo), "log", "--format=%H", "--", path], repeat
    )
    results["git_log_bloom"] = measure(
        f"git log --format=%H -- {path}, Bloom commit-graph",
        ["git", "-C", str(bloom), "log", "--format=%H", "--", path],
        repeat,
    )
    print("2. the newest 10 releases")
    results["ten_cold"] = measure(
        "gimlet-tui release list --limit 10, cold",
        TOOL + listing + ["--limit", "10", "-o", "json"],
        repeat,
        fresh_cache,
        tool_env,
    )
    results["ten_warm"] = measure(
        "gimlet-tui release list --limit 10, warm",
        TOOL + listing + ["--limit", "10", "-o", "json"],
        repeat,
        env_of=lambda _: tool_env(warm_cache),
    )
    results["git_log_10"] = measure(
        f"git log -n 10 -- {path}", ["git", "-C", str(repo), "log", "-n", "10", "--format=%H", "--", path], repeat
    )
    results["import"] = measure('python -c "import pygit2"', [sys.executable, "-c", "import pygit2"], repeat)
    print("3. rollback across 20 releases (each on a fresh clone)")
    target, shas = rollback_target(repo, 20)
    results["rollback"] = measure(
        "gimlet-tui release rollback --to <21st> --yes, cold",
        lambda clone_path: [
            *TOOL,
            "release",
            "rollback",
            "--repo",
            str(clone_path),
            "--env",
            ENV,
            "--app",
            APP,
            "--to",
            target,
            "--yes",
            "--author",
            "Bench <bench@example.com>",
        ],
        max(3, repeat // 2),
        lambda: clone(repo),
        lambda _: tool_env(fresh_cache()),
    )
    git_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "b@e",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "b@e",
    }
    results["git_revert"] = measure(
        "git revert --no-edit -X theirs <the same 20 commits>",
        lambda clone_path: ["git", "-C", str(clone_path), "revert", "--no-edit", "-X", "theirs", *shas],
        max(3, repeat // 2),
        lambda: clone(repo),
        lambda _: git_env,
    )
    print("4. the TUI")
    tui = tui_first_rows(repo, max(3, repeat // 2))
    results["tui_cold"], results["tui_warm"] = tui
    write_results(results, repeat)


def ratio(results: dict, a: str, b: str) -> str:
    return f"{results[a]['median'] / results[b]['median']:.2f}x"


def write_results(results: dict, repeat: int) -> None:
    r = results
    rows = [
        ("warm full history / git log", ratio(r, "full_warm", "git_log"), "<= 0.3x"),
        ("warm full history / git log with Bloom filters", ratio(r, "full_warm", "git_log_bloom"), "<= 1.0x"),
        ("cold full history / git log", ratio(r, "full_cold", "git_log"), "<= 2x"),
        ("--limit 10 cold / python -c 'import pygit2'", ratio(r, "ten_cold", "import"), "<= 2x"),
        ("rollback of 20 / git revert of the same 20", ratio(r, "rollback", "git_revert"), "<= 0.5x"),
        ("TUI first rows, cold", f"{r['tui_cold']['median']:.2f} s", "<= 1 s"),
        (
            "peak memory, largest of our processes",
            f"{max(v['peak_mb'] for k, v in r.items() if k in ('full_cold', 'full_warm', 'ten_cold', 'ten_warm', 'rollback'))} MB",
            "<= 300 MB",
        ),
    ]
    print("\nratios")
    for name, value, target in rows:
        print(f"  {name:<50} {value:>8}   target {target}")
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        "",
        f"Repository: {COMMITS:,} deploy commits over 4 envs x 50 apps (bench/generate.py), the history of {ENV}/{APP}.",
        f"Whole processes, medians of {repeat} runs (rollbacks and the TUI: {max(3, repeat // 2)}), one run of `make bench`.",
        "",
        "| measurement | median | min | peak memory |",
        "|---|---:|---:|---:|",
    ]
    for value in r.values():
        memory = f"{value['peak_mb']} MB" if value["peak_mb"] else "-"
        lines.append(f"| {value['name']} | {value['median']:.3f} s | {value['min']:.3f} s | {memory} |")
    lines += ["", "| ratio | measured | target |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"\nwrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
