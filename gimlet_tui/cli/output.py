"""How the CLI shows releases, plans and results as text, and how it writes: colour, pipes, prompts.

Data goes to stdout through `emit`, which ends quietly when the reader has gone (`| head`);
prompts and progress go to stderr. The JSON and YAML shapes are in `objects`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from gimlet_tui.describe import rolled_back_words, version_sha
from gimlet_tui.gitops import HistoryEntry, RepoInfo, RollbackPlan, RollbackResult
from gimlet_tui.text import ago, one_line, safe


def colour_wanted(stream: TextIO, mode: str = "auto", environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour `stream`: --color always|never, else FORCE_COLOR, else NO_COLOR, else TERM=dumb, else a TTY."""
    if mode in ("always", "never"):
        return mode == "always"
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


class Style:
    """ANSI colour when `colour_wanted` says so for the stream; plain text otherwise."""

    def __init__(self, stream: TextIO, mode: str = "auto") -> None:
        self.enabled = colour_wanted(stream, mode)

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def release_block(
    entry: HistoryEntry, info: RepoInfo, env: str, app: str, style: Style, now: float | None = None
) -> str:
    """The block Gimlet's `release list` prints for one release."""
    release = entry.release
    version = release.version if release else None
    marker = ""
    if entry.rolled_back:
        marker = " " + style("**ROLLED BACK**", "1;31")
    elif entry.current:
        marker = " " + style("**CURRENT**", "1;32")
    header = f"{style(f'{safe(env)}/{safe(app)}', '1')} {safe(info.name)}@{style(entry.short, '33')}{marker} ({ago(entry.committed_at, now)})"
    lines = [header]
    if version is not None:
        lines.append(f"        {version_sha(entry)} - {one_line(version.message)} {one_line(version.author_name)}")
        lines.append(
            f"        {safe(version.repository_name)}/{safe(version.ref_label)} {safe(release.artifact_id if release else '')}"
        )
        lines.append(f"        {safe(version.url)}")
    else:
        lines.append(f"        {one_line(entry.subject)} {one_line(entry.author_name)}")
    if release is not None and release.problem:
        lines.append("        " + style(f"problem: {safe(release.problem)}", "33"))
    if entry.rolled_back:
        lines.append("        " + style(rolled_back_words(entry, now), "31"))
    return "\n".join(lines)


def emit(text: str, stream: TextIO | None = None) -> None:
    """Write `text` and a newline (to stdout by default) now; a reader that went away ends the output quietly.

    After a closed pipe (`| head -1`) the stream is pointed at /dev/null, so that the command still
    finishes what it was doing (a confirmed rollback) and nothing is printed about the pipe.
    """
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        silence(stream)


def silence(stream: TextIO) -> None:
    """Point `stream` at /dev/null (what Python's documentation advises after a BrokenPipeError)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def ask(prompt: str) -> str:
    """Ask on stderr, read one line from stdin (empty at end of input): stdout stays for data."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def _describe(entry: HistoryEntry, now: float | None) -> str:
    """Age, version sha and message of an entry (or its commit subject when it is no release)."""
    version = entry.release.version if entry.release else None
    label = f"{version_sha(entry)} {one_line(version.message)}" if version else one_line(entry.subject)
    kind = "" if entry.is_release else f"  [{entry.kind.value}]"
    return f"{ago(entry.committed_at, now):<15} {label}{kind}"


def _entry_line(entry: HistoryEntry, now: float | None) -> str:
    return f"  {entry.short}  {_describe(entry, now)}"


def plan_text(plan: RollbackPlan, style: Style, now: float | None = None, previous: bool = False) -> str:
    """What a rollback (or redeploy) will do, for the user to read before saying yes.

    `previous`: the target was not named, so the plan says it is the release before the current one.
    """
    where = f"{safe(plan.env)}/{safe(plan.app)}"
    verb = "Redeploy" if plan.redeploy else "Roll back"
    branch = plan.ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")  # a dry run may plan on origin/main
    lines = [f"{verb} {style(where, '1')} on {safe(branch)} (head {plan.head[:10]})"]
    if plan.current is not None:
        lines.append(f"  from {style(plan.current.short, '33')}  {_describe(plan.current, now)}  (current)")
    else:
        lines.append("  from (no current release: the app is deleted)")
    chosen = "  (the release before the current one)" if previous else ""
    chosen = "  (rolled back: it comes back as a new release)" if plan.redeploy and plan.target.rolled_back else chosen
    lines.append(f"  to   {style(plan.target.short, '33')}  {_describe(plan.target, now)}{chosen}")
    if plan.redeploy:
        lines.append(f"1 commit will make {where} what {plan.target.short} made it (nothing is reverted).")
    else:
        lines.append(f"{len(plan.reverts)} commit(s) will be reverted, newest first:")
        lines += [_entry_line(p.entry, now) for p in plan.reverts]
    if plan.skipped:
        lines.append(f"{len(plan.skipped)} already rolled back (skipped):")
        lines += [_entry_line(e, now) for e in plan.skipped]
    lines.append(f"{len(plan.changes)} file(s) will change:")
    width = max((len(safe(c.path)) for c in plan.changes), default=0)
    for change in plan.changes:
        counts = "binary" if change.binary else f"{style(f'+{change.added}', '32')} {style(f'-{change.removed}', '31')}"
        lines.append(f"  {change.status[0].upper()} {safe(change.path):<{width}}  {counts}")
    return "\n".join(lines)


def result_text(result: RollbackResult, style: Style) -> str:
    """The commits a rollback (or redeploy) made and where the branch is now."""
    plan = result.plan
    branch = safe(plan.ref.removeprefix("refs/heads/"))
    kind = "commit" if plan.redeploy else "revert commit"
    lines = [f"Made {len(result.commits)} {kind}(s) on {branch}:"]
    lines += [f"  {style(c.sha[:10], '33')} {one_line(c.subject)}" for c in result.commits]
    state = f"is as {plan.target.short} made it again" if plan.redeploy else f"is back at {plan.target.short}"
    lines.append(f"{safe(plan.env)}/{safe(plan.app)} {state}; {branch} is now at {result.new_head[:10]}.")
    return "\n".join(lines)


_PATCH_COLOURS = (
    ("diff --git", "1"),
    ("index ", "1"),
    ("--- ", "1"),
    ("+++ ", "1"),
    ("@@", "36"),
    ("+", "32"),
    ("-", "31"),
)


def patch_text(patch: str, style: Style, terminal: bool) -> str:
    """The patch in git's format: exact for a pipe (`| git apply`); on a terminal, escaped and coloured like git's."""
    lines = patch.rstrip("\n").split("\n")
    if not terminal and not style.enabled:
        return "\n".join(lines)
    shown = []
    for line in lines:
        text = safe(line) if terminal else line
        colour = next((code for prefix, code in _PATCH_COLOURS if line.startswith(prefix)), None)
        shown.append(style(text, colour) if colour else text)
    return "\n".join(shown)
