"""How the CLI shows releases, plans and results: Gimlet's text blocks, JSON objects, and colour on a TTY."""

from __future__ import annotations

import os
from typing import Any, TextIO

from gimlet_tui.describe import version_sha
from gimlet_tui.gitops import HistoryEntry, RepoInfo, RollbackPlan, RollbackResult
from gimlet_tui.text import ago, one_line, safe


class Style:
    """ANSI colour when writing to a terminal without NO_COLOR; plain text otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.enabled = stream.isatty() and not os.environ.get("NO_COLOR")

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
    return "\n".join(lines)


def release_object(entry: HistoryEntry, env: str, app: str) -> dict[str, Any]:
    """Gimlet's API object for a release: release.json's fields plus the computed ones."""
    release = entry.release
    document: dict[str, Any] = dict(release.document) if release else {}
    document.setdefault("app", app)
    document.setdefault("env", env)
    document["gitopsRef"] = entry.sha
    document["created"] = entry.committed_at
    document["rolledBack"] = entry.rolled_back
    document["current"] = entry.current
    if release is not None and release.problem:
        document["problem"] = release.problem
    deployed = entry.deployed
    document["images"] = [image.image for image in deployed.images] if deployed else []
    if deployed is not None and deployed.problem:
        document["manifestProblem"] = deployed.problem
    return document


def _describe(entry: HistoryEntry, now: float | None) -> str:
    """Age, version sha and message of an entry (or its commit subject when it is no release)."""
    version = entry.release.version if entry.release else None
    label = f"{version_sha(entry)} {one_line(version.message)}" if version else one_line(entry.subject)
    kind = "" if entry.is_release else f"  [{entry.kind.value}]"
    return f"{ago(entry.committed_at, now):<15} {label}{kind}"


def _entry_line(entry: HistoryEntry, now: float | None) -> str:
    return f"  {entry.short}  {_describe(entry, now)}"


def plan_text(plan: RollbackPlan, style: Style, now: float | None = None) -> str:
    """What a rollback will do, for the user to read before saying yes."""
    where = f"{safe(plan.env)}/{safe(plan.app)}"
    lines = [f"Roll back {style(where, '1')} on {safe(plan.ref.removeprefix('refs/heads/'))} (head {plan.head[:10]})"]
    if plan.current is not None:
        lines.append(f"  from {style(plan.current.short, '33')}  {_describe(plan.current, now)}  (current)")
    else:
        lines.append("  from (no current release: the app is deleted)")
    lines.append(f"  to   {style(plan.target.short, '33')}  {_describe(plan.target, now)}")
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
    """The revert commits a rollback made and where the branch is now."""
    plan = result.plan
    branch = safe(plan.ref.removeprefix("refs/heads/"))
    lines = [f"Made {len(result.commits)} revert commit(s) on {branch}:"]
    lines += [f"  {style(c.sha[:10], '33')} {one_line(c.subject)}" for c in result.commits]
    lines.append(
        f"{safe(plan.env)}/{safe(plan.app)} is back at {plan.target.short}; {branch} is now at {result.new_head[:10]}."
    )
    return "\n".join(lines)
