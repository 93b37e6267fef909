"""The CLI's JSON and YAML: one shape per thing, documented field by field in the README.

Lists (`release list`, `env list`, `app list`) are bare JSON arrays, as Gimlet's API, helm and gh
print them, and each item carries `schemaVersion`; a rollback's plan or result is one object with
`schemaVersion`. Version 1 only ever gains fields; a field that changes meaning or goes away
makes it 2. Strings are the repository's own text: JSON escapes control characters, YAML too.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from gimlet_tui.gitops import AppSummary, HistoryEntry, RollbackPlan, RollbackResult
from gimlet_tui.gitops.urls import redact
from gimlet_tui.workspace import EnvSource

SCHEMA_VERSION = 1


def release_object(entry: HistoryEntry, env: str, app: str, repo: str | None = None) -> dict[str, Any]:
    """Gimlet's API object for a release (release.json's fields plus the computed ones), and ours.

    `gitopsRepo` is the repository's name (`owner/name` from the remote, else the folder's), as
    Gimlet's API fills it in; the rolled-back fields are there only for a ROLLED BACK release.
    """
    release = entry.release
    document: dict[str, Any] = dict(release.document) if release else {}
    document.setdefault("app", app)
    document.setdefault("env", env)
    document["gitopsRef"] = entry.sha
    if repo:
        document["gitopsRepo"] = repo
    document["created"] = entry.committed_at
    document["rolledBack"] = entry.rolled_back
    document["current"] = entry.current
    document["kind"] = entry.kind.value
    document["subject"] = entry.subject
    document["rolledBackByCommit"] = entry.rolled_back_by
    if entry.rolled_back:
        document["rolledBackBy"] = entry.rolled_back_by_name
        document["rolledBackAt"] = entry.rolled_back_at
        document["rollbackReason"] = entry.rolled_back_reason
    if release is not None and release.problem:
        document["problem"] = release.problem
    deployed = entry.deployed
    document["images"] = [image.image for image in deployed.images] if deployed else []
    if deployed is not None and deployed.problem:
        document["manifestProblem"] = deployed.problem
    return document


def release_item(entry: HistoryEntry, env: str, app: str, repo: str | None = None) -> dict[str, Any]:
    """An item of `release list -o json`: `schemaVersion` first, then the release object."""
    return {"schemaVersion": SCHEMA_VERSION, **release_object(entry, env, app, repo)}


def plan_object(plan: RollbackPlan, previous: bool, reason: str | None, repo: str | None = None) -> dict[str, Any]:
    """What `release rollback --dry-run -o json` prints: everything the rollback will do."""
    env, app = plan.env, plan.app
    return {
        "schemaVersion": SCHEMA_VERSION,
        "action": plan.action,
        "dryRun": True,
        "env": env,
        "app": app,
        "branch": plan.ref.removeprefix("refs/heads/"),
        "head": plan.head,
        "targetChosen": "previous" if previous else "given",
        "current": release_object(plan.current, env, app, repo) if plan.current else None,
        "target": release_object(plan.target, env, app, repo),
        "reverts": [release_object(p.entry, env, app, repo) for p in plan.reverts],
        "skipped": [release_object(e, env, app, repo) for e in plan.skipped],
        "files": [
            {"path": c.path, "status": c.status, "added": c.added, "removed": c.removed, "binary": c.binary}
            for c in plan.changes
        ],
        "patch": plan.diff,
        "reason": reason,
    }


def result_object(
    result: RollbackResult, previous: bool, reason: str | None, pushed: bool, repo: str | None = None
) -> dict[str, Any]:
    """What `release rollback -o json` prints once it is done: the plan, the commits made, the new head."""
    done = plan_object(result.plan, previous, reason, repo)
    done["dryRun"] = False
    done["commits"] = [{"sha": c.sha, "reverts": c.reverted, "subject": c.subject} for c in result.commits]
    done["newHead"] = result.new_head
    done["pushed"] = pushed
    return done


def env_item(source: EnvSource) -> dict[str, Any]:
    """An item of `env list -o json`."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "name": source.name,
        "repo": redact(source.repo),
        "branch": source.branch.removeprefix("refs/heads/") if source.branch else None,
        "protected": source.protected,
        "readOnly": source.read_only,
        "namedBy": source.named_by,
    }


def app_item(app: AppSummary, env: str) -> dict[str, Any]:
    """An item of `app list -o json`."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "env": env,
        "name": app.name,
        "deleted": app.deleted,
        "versionSha": app.version_sha,
        "lastChanged": app.last_changed_at,
    }


def dump(data: object, fmt: str, pretty: bool | None = None) -> str:
    """`data` as JSON or YAML (PyYAML's safe_dump, keys in order), without a trailing newline.

    JSON is indented for a person at a terminal and compact (several times faster to write) for a
    program; `pretty` None means "when stdout is a terminal".
    """
    if fmt == "yaml":
        # Imported here for start-up time: YAML is loaded only for -o yaml.
        import yaml

        text: str = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=10_000)
        return text.rstrip("\n")
    if pretty is None:
        pretty = sys.stdout.isatty()
    return json.dumps(data, indent=2) if pretty else json.dumps(data, separators=(",", ":"))
