"""Writing Gimlet-style commits into a repository with a work tree: deploys, deletions, hand edits.

The demo repository and the tests use it to make histories shaped like the ones Gimlet writes
(see the gitops format notes): one commit per deploy that rewrites the app folder, writes the
app-level and env-level release.json and the app's Kustomization file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gimlet_tui.gitops.authoring import commit_files, init_work_tree
from gimlet_tui.gitops.model import Layout

GIMLET = ("Gimlet", "gimlet@gimlet.io")


def release_json(document: Mapping[str, Any]) -> bytes:
    """Serialize like Go's json.Marshal: compact, keys in the given order, <, > and & escaped."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return (text + "\n").encode()


def release_document(
    env: str, app: str, version: Mapping[str, Any], triggered_by: str, artifact_id: str
) -> dict[str, Any]:
    """A release.json document with Gimlet's keys in Gimlet's order."""
    return {
        "app": app,
        "env": env,
        "artifactId": artifact_id,
        "triggeredBy": triggered_by,
        "version": dict(version),
        "gitopsRef": "",
        "gitopsRepo": "",
    }


class GitopsWriter:
    """Makes commits on the checked-out branch of a non-bare repository, keeping index and work tree in step."""

    def __init__(self, path: str, layout: Layout = Layout.SHARED, branch: str = "main") -> None:
        init_work_tree(path, branch)
        self.path = path
        self.layout = layout

    def _app_dir(self, env: str, app: str) -> str:
        return app if self.layout is Layout.REPO_PER_ENV else f"{env}/{app}"

    def _env_dir(self, env: str) -> str:
        return "" if self.layout is Layout.REPO_PER_ENV else f"{env}/"

    def commit(
        self,
        changes: Mapping[str, bytes | str | None],
        message: str,
        when: int,
        author: tuple[str, str] = GIMLET,
        remove_dirs: tuple[str, ...] = (),
    ) -> str:
        """Write `changes` (path -> content, None deletes) after removing `remove_dirs`, and commit."""
        return commit_files(self.path, changes, message, when, author, remove_dirs)

    def deploy(
        self,
        env: str,
        app: str,
        files: Mapping[str, str],
        version: Mapping[str, Any],
        when: int,
        triggered_by: str = "policy",
        artifact_id: str = "",
        kustomization: bool = True,
        release: bytes | None = None,
    ) -> str:
        """One Gimlet deploy: the app folder rewritten, both release.json files, the Kustomization."""
        folder = self._app_dir(env, app)
        document = release_document(env, app, version, triggered_by, artifact_id)
        data = release if release is not None else release_json(document)
        changes: dict[str, bytes | str | None] = {f"{folder}/{name}": body for name, body in files.items()}
        changes[f"{folder}/release.json"] = data
        changes[f"{self._env_dir(env)}release.json"] = data
        if kustomization:
            changes[f"{self._env_dir(env)}flux/kustomization-{app}.yaml"] = _kustomization(env, app, folder)
        return self.commit(changes, f"[Gimlet] {env}/{app} automated deploy", when, remove_dirs=(folder,))

    def delete(self, env: str, app: str, who: str, when: int) -> str:
        """Gimlet's app deletion: the folder goes, the env-level release.json stays."""
        folder = self._app_dir(env, app)
        return self.commit({}, f"[Gimlet] {env}/{app} deleted by {who}", when, remove_dirs=(folder,))


def _kustomization(env: str, app: str, folder: str) -> str:
    return (
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
        "kind: Kustomization\n"
        "metadata:\n"
        f"  name: {env}-{app}\n"
        "  namespace: flux-system\n"
        "spec:\n"
        "  interval: 1m\n"
        f"  path: ./{folder}\n"
        "  prune: true\n"
        "  sourceRef:\n"
        "    kind: GitRepository\n"
        "    name: gitops\n"
    )
