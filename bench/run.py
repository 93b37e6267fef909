"""The benchmark: gimlet-tui beside its floors, in one run, as ratios.

Floors measured in the same run: git log with a commit-graph (git's state after `git gc`) and with
changed-path Bloom filters, `python -c "import pygit2"`, and a minimal Textual app's first paint and
key echo seen through a pseudo-terminal (bench/floor_app.py). The TUI is measured the same way: a
process in a pseudo-terminal, from spawn (or key) to the rows on screen (bench/pty_screen.py).

Whole processes, several repetitions, medians. `make bench` measures 100,000 commits (and the 10,000
point of the growth table); BENCH_HUGE=1 adds 1,000,000 commits (generated once, cached in
bench/.cache: about 1 GB and several minutes). Writes bench/RESULTS.md, with bench/NOTES.md appended.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import CACHE, cached_repo  # noqa: E402
from pty_screen import Terminal  # noqa: E402

# Measure an installation as users have it: with bytecode caches (pip writes them for installed
# packages; this machine's PYTHONDONTWRITEBYTECODE would make every run compile our modules anew).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
ENV, APP, OTHER_APP = "staging", "app-07", "app-08"
PATH = f"{ENV}/{APP}"
TOOL = [sys.executable, "-m", "gimlet_tui"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
HUGE = bool(os.environ.get("BENCH_HUGE"))
SIZES = [10_000, 100_000] + ([1_000_000] if HUGE else [])
FULL = {100_000, 1_000_000}  # sizes measured in full (10,000 only for the growth table)
LAST = CACHE / "last-results.json"
if os.environ.get("BENCH_SIZES"):  # e.g. BENCH_SIZES=10000 to try the benchmark itself: all measured in full
    SIZES = [int(n) for n in os.environ["BENCH_SIZES"].split(",")]
    FULL = set(SIZES)


def _rss_anon_mb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds of one process, and its own peak anonymous memory in MB (not mapped files, not git's)."""
    peak = [0]
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], _rss_anon_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}: {process.stderr.read().decode()}")
    return elapsed, peak[0]


def summary(name: str, times: list[float], memory: list[int] | None = None) -> dict:
    result = {
        "name": name,
        "median": statistics.median(times),
        "min": min(times),
        "peak_mb": max(memory) if memory else 0,
        "runs": len(times),
    }
    mb = f"{result['peak_mb']:5d} MB" if memory else ""
    print(f"  {name:<66} {result['median']:7.3f} s  (min {result['min']:.3f})  {mb}", flush=True)
    return result


def measure(name: str, argv, repeat: int = REPEAT, prepare=None, env_of=None) -> dict:
    times, memory = [], []
    for _ in range(repeat):
        context = prepare() if prepare else None
        env = env_of(context) if env_of else None
        command = argv(context) if callable(argv) else argv
        elapsed, peak = run(command, env=env)
        times.append(elapsed)
        memory.append(peak)
    return summary(name, times, memory)


def fresh_dir(prefix: str) -> str:
    return tempfile.mkdtemp(prefix=f"gimlet-bench-{prefix}-")


def tool_env(cache: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": cache, "XDG_STATE_HOME": cache, **extra}


def variants(size: int) -> dict[str, Path]:
    """The repository as generated, with the commit-graph `git gc` writes, and with Bloom filters too."""
    plain = cached_repo(size)
    found = {"plain": plain}
    for name, extra in (("graph", []), ("bloom", ["--changed-paths"])):
        copy = CACHE / f"gitops-{size}-{name}"
        done = copy / ".git" / "gimlet-bench-graph-done"
        if not done.exists():
            shutil.rmtree(copy, ignore_errors=True)
            subprocess.run(["git", "clone", "-q", "--local", str(plain), str(copy)], check=True)
            subprocess.run(["git", "-C", str(copy), "commit-graph", "write", "--reachable", *extra], check=True)
            done.write_text("ok\n")
        found[name] = copy
    return found


def listing(repo: Path, *extra: str, app: str = APP) -> list[str]:
    return [*TOOL, "release", "list", "--repo", str(repo), "--env", ENV, "--app", app, *extra]


def git_log(repo: Path) -> list[str]:
    return ["git", "-C", str(repo), "log", "--format=%H", "--", PATH]


def walks_agree(repo: Path, apps: list[tuple[str, str]]) -> str:
    """Both walks (git naming the commits, pygit2 alone) give the same changes on this repository."""
    code = (
        "import sys; from gimlet_tui.gitops import GitopsRepo; from gimlet_tui.gitops.walk import ChangeWalk\n"
        f"repo = GitopsRepo.open({str(repo)!r}); head = repo.head_commit().id\n"
        f"for env, app in {apps!r}:\n"
        "    paths = repo.app_paths(env, app)\n"
        "    a = list(ChangeWalk(repo, paths, app, head, use_git=True))\n"
        "    b = list(ChangeWalk(repo, paths, app, head, use_git=False))\n"
        "    assert a == b and a, (env, app)\n"
        "    print(env, app, len(a))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return ", ".join(f"{line.split()[0]}/{line.split()[1]} ({line.split()[2]} changes)" for line in output.splitlines())


def newest_rows(repo: Path, app: str, count: int = 2) -> list[str]:
    """The short shas of the newest `count` timeline rows (releases and deletions: reverts are no rows)."""
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--first-parent", "--format=%H %s", "--", f"{ENV}/{app}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line[:10] for line in log.splitlines() if not line[41:].startswith("Revert")][:count]


# -- the TUI and its floor, through a pseudo-terminal ----------------------------------------------


def floor_painted(screen) -> bool:
    """The floor app's first paint is on screen (bench/floor_app.py)."""
    return "row 09 of the floor list" in screen.text()


def floor_app(repeat: int) -> tuple[dict, dict]:
    paints, echoes = [], []
    for _ in range(repeat):
        terminal = Terminal([sys.executable, str(HERE / "floor_app.py")])
        try:
            paints.append(terminal.wait_for(floor_painted))
            # a different key each time: its echo is new on screen
            echoes.extend(
                terminal.key(key, lambda s, key=key: f"keys: {key} " in s.line(0), quiet=0.2) for key in "xyz"
            )
        finally:
            terminal.close()
    return (
        summary("floor: minimal Textual app, spawn to first paint (pty)", paints),
        summary("floor: minimal Textual app, key to its echo on screen (pty)", echoes),
    )


def floor_table(repeat: int) -> tuple[dict, dict]:
    """Context, not a target: Textual's DataTable moving its cursor and refilling 30 rows (bench/floor_table.py)."""
    moves, fills = [], []
    for _ in range(repeat):
        terminal = Terminal([sys.executable, str(HERE / "floor_table.py")])
        try:
            terminal.wait_for(lambda s: "row: 00 of batch 00" in s.line(0))
            for batch in (1, 2, 3):
                # down: the cursor to row 01, the line above says so; then n: 30 new rows
                moved = f"row: 01 of batch {batch - 1:02d}"
                moves.append(terminal.key("\x1b[B", lambda s, moved=moved: moved in s.line(0), quiet=0.2))
                filled = f"{batch:02d}00000000"
                fills.append(terminal.key("n", lambda s, filled=filled: filled in s.text(), quiet=0.2))
        finally:
            terminal.close()
    return (
        summary("context: Textual DataTable (8 columns), down to the cursor's row echoed (pty)", moves),
        summary("context: Textual DataTable, cleared and 30 new rows on screen (pty)", fills),
    )


def tui(repo: Path, cache: str, **extra: str) -> Terminal:
    return Terminal([*TOOL, "--repo", str(repo), "--env", ENV, "--app", APP], env=tool_env(cache, **extra))


def tui_runs(repo: Path, repeat: int) -> dict[str, dict]:
    """First rows cold and warm; `j` to the detail pane; switching to another app with a warm index."""
    newest, second = newest_rows(repo, APP)
    other = newest_rows(repo, OTHER_APP, 1)[0]
    cold, warm, keys, switches = [], [], [], []
    for _ in range(repeat):
        terminal = tui(repo, fresh_dir("tui-cold"))
        try:
            cold.append(terminal.wait_for(lambda s: newest in s.text()))
        finally:
            terminal.close()
        cache = fresh_dir("tui-warm")
        for app in (APP, OTHER_APP):
            run(listing(repo, "--limit", "0", app=app), env=tool_env(cache))
        terminal = tui(repo, cache)
        try:
            warm.append(terminal.wait_for(lambda s: newest in s.text()))
            terminal.wait_for(lambda s: f"─ {newest} ·" in s.text())  # the detail pane shows the newest
            for key, shown in (("j", second), ("k", newest), ("j", second)):  # three keys a run, as the floor's
                keys.append(terminal.key(key, lambda s, sha=shown: f"─ {sha} ·" in s.text(), quiet=0.5))
            terminal.drain(0.5)
            terminal.send("a")
            for key, sha in (("\x1b[B", other), ("\x1b[A", newest), ("\x1b[B", other)):  # down: the next app; up
                switches.append(terminal.key(key, lambda s, sha=sha: sha in s.text(), quiet=0.5))
        finally:
            terminal.close()
    return {
        "tui_cold": summary("TUI: spawn to first timeline rows, cold index (pty)", cold),
        "tui_warm": summary("TUI: spawn to first timeline rows, warm index (pty)", warm),
        "tui_j": summary("TUI: j to the detail pane showing the next release (pty)", keys),
        "tui_switch": summary("TUI: down in the app list to the next app's rows, warm (pty)", switches),
    }


def clone(repo: Path) -> Path:
    target = Path(fresh_dir("clone")) / "repo"
    subprocess.run(["git", "clone", "-q", "--local", str(repo), str(target)], check=True)
    # No upstream: rollbacks are pushed by default where there is one, and this one is a checked-out
    # folder, which refuses pushes to its branch. The rollback alone is measured.
    subprocess.run(["git", "-C", str(target), "remote", "remove", "origin"], check=True)
    return target


ENGINE = """
import sys, time
from gimlet_tui.gitops import GitopsRepo, apply_rollback, parse_identity, plan_rollback
repo = GitopsRepo.open(sys.argv[1])
plan = plan_rollback(repo, sys.argv[2], sys.argv[3], sys.argv[4])
start = time.perf_counter()
apply_rollback(repo, plan, parse_identity("Bench <bench@example.com>"))
print(time.perf_counter() - start)
"""


def rollback_runs(repo: Path, repeat: int) -> dict[str, dict]:
    """`y` in the confirmation to the timeline showing the rollback, beside the engine's own time for it."""
    newest, target = newest_rows(repo, APP)
    full_target = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", target], capture_output=True, text=True, check=True
    ).stdout.strip()
    engine, shown, whole = [], [], []
    for _ in range(repeat):
        path = clone(repo)
        out = subprocess.run(
            [sys.executable, "-c", ENGINE, str(path), ENV, APP, full_target],
            capture_output=True,
            text=True,
            check=True,
            env=tool_env(fresh_dir("engine")),
        ).stdout
        engine.append(float(out.strip().splitlines()[-1]))
        shutil.rmtree(path.parent, ignore_errors=True)
        path = clone(repo)
        env = tool_env(fresh_dir("tui-y"), GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com")
        env.update(GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")
        subprocess.run(["git", "-C", str(path), "config", "user.name", "Bench"], check=True)
        subprocess.run(["git", "-C", str(path), "config", "user.email", "bench@example.com"], check=True)
        terminal = Terminal([*TOOL, "--repo", str(path), "--env", ENV, "--app", APP], env=env)
        try:
            terminal.wait_for(lambda s: f"─ {newest} ·" in s.text())
            terminal.wait_for(lambda s: "loading" not in s.text(), timeout=300)  # the whole history is read
            terminal.key("j", lambda s: f"─ {target} ·" in s.text(), quiet=0.5)
            terminal.key("r", lambda s: f"Roll back {ENV}/{APP}?" in s.text())
            # the row's gitops column, 7 digits at this width, beside its new state
            states = terminal.key(
                "y",
                lambda s: any(target[:7] in line and "CURRENT" in line for line in s.text().splitlines()),
                quiet=0.5,
            )
            shown.append(states)
            # then the rolled-back row's second line, "by Bench" (rows are written again for it)
            whole.append(states + terminal.wait_for(lambda s: "by Bench" in s.text()))
        finally:
            terminal.close()
            shutil.rmtree(path.parent, ignore_errors=True)
    return {
        "engine": summary("rollback engine: apply_rollback of the same plan, in-process", engine),
        "tui_y": summary("TUI: y to the timeline showing the rollback (pty)", shown),
        "tui_y_whole": summary("TUI: y to the rolled-back row's second line (pty)", whole),
    }


# -- the command line -----------------------------------------------------------------------------


def cli_runs(size: int, repos: dict[str, Path], full: bool) -> dict[str, dict]:
    r: dict[str, dict] = {}
    graph, bloom = repos["graph"], repos["bloom"]
    warm_cache = fresh_dir("warm")
    run(listing(graph, "--limit", "0"), env=tool_env(warm_cache))
    json_all = ("--limit", "0", "-o", "json")
    r["git_log_graph"] = measure("git log --format=%H -- <app>, commit-graph", git_log(graph))
    r["git_log_bloom"] = measure("git log --format=%H -- <app>, Bloom filters", git_log(bloom))
    r["full_cold"] = measure(
        "release list --limit 0 -o json, cold, commit-graph",
        listing(graph, *json_all),
        prepare=lambda: fresh_dir("cold"),
        env_of=tool_env,
    )
    r["full_cold_bloom"] = measure(
        "release list --limit 0 -o json, cold, Bloom filters",
        listing(bloom, *json_all),
        prepare=lambda: fresh_dir("cold"),
        env_of=tool_env,
    )
    r["full_warm"] = measure(
        "release list --limit 0 -o json, warm", listing(graph, *json_all), env_of=lambda _: tool_env(warm_cache)
    )
    if not full:
        return r
    r["git_log_plain"] = measure("git log --format=%H -- <app>, no commit-graph", git_log(repos["plain"]))
    r["full_cold_pure"] = measure(
        "release list --limit 0 -o json, cold, pygit2 alone (no git binary)",
        listing(graph, *json_all),
        repeat=max(3, REPEAT // 2),
        prepare=lambda: fresh_dir("cold"),
        env_of=lambda cache: tool_env(cache, GIMLET_TUI_NO_GIT="1"),
    )
    r["ten_cold"] = measure(
        "release list --limit 10, cold",
        listing(graph, "--limit", "10", "-o", "json"),
        prepare=lambda: fresh_dir("cold"),
        env_of=tool_env,
    )
    r["ten_warm"] = measure(
        "release list --limit 10, warm",
        listing(graph, "--limit", "10", "-o", "json"),
        env_of=lambda _: tool_env(warm_cache),
    )
    r["import"] = measure('python -c "import pygit2"', [sys.executable, "-c", "import pygit2"])
    return r


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
    import textual

    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"pygit2 {pygit2.__version__} (libgit2 {pygit2.LIBGIT2_VERSION}), textual {textual.__version__}, {git_version}"
    )


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "gimlet_tui")], check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE)], check=True)
    started = time.time()
    load_before = os.getloadavg()
    results: dict[int, dict[str, dict]] = {}
    agree: dict[int, str] = {}
    for size in SIZES:
        repos = variants(size)
        full = size in FULL
        print(f"{size:,} commits, {PATH}; medians of {REPEAT} runs; load {os.getloadavg()[0]:.1f}", flush=True)
        checked = [(ENV, APP)] if size > 100_000 else [(ENV, APP), ("production", "app-13"), ("qa", "app-42")]
        agree[size] = walks_agree(repos["bloom"], checked)
        print(f"  the two walks agree: {agree[size]}", flush=True)
        results[size] = cli_runs(size, repos, full)
        if full:
            repeat = max(3, REPEAT // 2)
            floor_paint, floor_echo = floor_app(repeat)
            results[size].update(floor_paint=floor_paint, floor_echo=floor_echo)
            table_move, table_fill = floor_table(repeat)
            results[size].update(table_move=table_move, table_fill=table_fill)
            results[size].update(tui_runs(repos["graph"], repeat))
            results[size].update(rollback_runs(repos["graph"], repeat))
    load = (load_before, os.getloadavg())
    LAST.write_text(json.dumps({"results": results, "agree": agree, "load": load, "seconds": time.time() - started}))
    write_results(results, agree, load, time.time() - started)


def render_last() -> None:
    """RESULTS.md again from the last run's figures (after editing NOTES.md): `python bench/run.py --render`."""
    last = json.loads(LAST.read_text())
    results = {int(size): value for size, value in last["results"].items()}
    agree = {int(size): value for size, value in last["agree"].items()}
    write_results(results, agree, last["load"], last["seconds"])


def ratio(r: dict, a: str, b: str) -> float:
    return r[a]["median"] / r[b]["median"]


TARGETS = [
    # (name, numerator, denominator, target ratio)
    ("TUI first rows, warm / floor first paint", "tui_warm", "floor_paint", 1.5),
    ("TUI first rows, cold / floor first paint", "tui_cold", "floor_paint", 2.0),
    ("TUI j / floor key echo", "tui_j", "floor_echo", 1.5),
    ("TUI app switch, warm / floor key echo", "tui_switch", "floor_echo", 1.5),
    ("TUI y to the timeline's new states / rollback engine time", "tui_y", "engine", 2.0),
    ("TUI y to the whole timeline (second lines) / rollback engine time", "tui_y_whole", "engine", 2.0),
    ("cold full history / git log, commit-graph", "full_cold", "git_log_graph", 2.0),
    ("cold full history / git log, Bloom filters (both)", "full_cold_bloom", "git_log_bloom", 1.0),
    ("warm full history / git log, commit-graph", "full_warm", "git_log_graph", 1.0),
    ("warm full history / import pygit2", "full_warm", "import", 2.0),
    ("--limit 10 cold / import pygit2", "ten_cold", "import", 2.0),
]


def write_results(results: dict[int, dict[str, dict]], agree: dict[int, str], load, seconds: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Load average (1 min) {load[0][0]:.2f} at the start and {load[1][0]:.2f} at the end of the run, which took "
        f"{seconds / 60:.0f} minutes; other sessions share these 2 cores, so every target is a ratio against "
        "a floor measured in the same run.",
        "",
        f"Repositories: deploy commits over 4 envs x 50 apps (bench/generate.py), the history of {PATH}; "
        "'commit-graph' is the repository after `git commit-graph write --reachable` (what `git gc` leaves), "
        "'Bloom filters' after `git commit-graph write --reachable --changed-paths`.",
        f"Whole processes, medians of {REPEAT} runs (TUI and rollbacks: {max(3, REPEAT // 2)}).",
    ]
    for size, r in results.items():
        lines += ["", f"## {size:,} commits", "", f"The two walks agree on {agree[size]}.", ""]
        lines += ["| measurement | median | min | peak memory (own, anonymous) |", "|---|---:|---:|---:|"]
        for value in r.values():
            memory = f"{value['peak_mb']} MB" if value["peak_mb"] else "-"
            lines.append(f"| {value['name']} | {value['median']:.3f} s | {value['min']:.3f} s | {memory} |")
        rows = [(name, ratio(r, a, b), target) for name, a, b, target in TARGETS if a in r and b in r]
        if size not in FULL:
            rows = []  # a point of the growth table only
        if "full_warm" in r and size >= 1_000_000:
            rows.append(("warm full history at 1M commits, seconds", r["full_warm"]["median"], 0.4))
        if "full_cold" in r and size >= 1_000_000:
            peak = max(r[k]["peak_mb"] for k in ("full_cold", "full_cold_bloom", "full_warm"))
            rows.append(("own memory of a full read at 1M commits, MB", peak, 150))
        if rows:
            lines += ["", "| target | measured | target | met |", "|---|---:|---:|---|"]
        for name, value, target in rows:
            unit = "x" if "/" in name else ""
            lines.append(f"| {name} | {value:.2f}{unit} | <= {target}{unit} | {'yes' if value <= target else 'NO'} |")
    sizes = list(results)
    growth = [
        ("git log -- <app>, commit-graph", "git_log_graph"),
        ("git log -- <app>, Bloom filters", "git_log_bloom"),
        ("cold full history, commit-graph", "full_cold"),
        ("cold full history, Bloom filters", "full_cold_bloom"),
        ("warm full history", "full_warm"),
    ]
    lines += ["", "## Growth with repository size (medians, seconds)", ""]
    lines += ["| | " + " | ".join(f"{s:,}" for s in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for name, key in growth:
        lines.append(f"| {name} | " + " | ".join(f"{results[s][key]['median']:.3f}" for s in sizes) + " |")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"\nwrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    render_last() if sys.argv[1:] == ["--render"] else main()
