"""The Flux command that applies a pushed change at once, instead of at Flux's next sync.

Gimlet writes one Kustomization per app (`<env>/flux/kustomization-<app>.yaml`, or `flux/...` in a
repo-per-env repository) whose `metadata.name` is not the app's name (it joins owner, repository,
env, namespace and app), so it is read from the file; without one, the env's own Kustomization (the
`gitops-repo*.yaml` Gimlet's bootstrap writes) applies the app's folder; without either, Flux's own
`flux-system`. Files are read as YAML nodes only (see `yaml_nodes`).
"""

from __future__ import annotations

import re

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.manifests import documents_of, field_text
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.trees import lookup

FLUX_SYSTEM = "flux-system"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")  # a Kubernetes object name: safe to print as a word


def _kustomization(data: bytes, name: str) -> tuple[str, str] | None:
    """(name, namespace) of the first Flux Kustomization in a YAML file, or None."""
    for document in documents_of(data, name):
        api = field_text(document, ("apiVersion",)) or ""
        if field_text(document, ("kind",)) == "Kustomization" and api.startswith("kustomize.toolkit.fluxcd.io"):
            found = field_text(document, ("metadata", "name"))
            namespace = field_text(document, ("metadata", "namespace")) or FLUX_SYSTEM
            if found and _NAME.match(found) and _NAME.match(namespace):
                return found, namespace
    return None


def _env_kustomization(flux: pygit2.Object | None) -> tuple[str, str] | None:
    if not isinstance(flux, pygit2.Tree):
        return None
    for entry in sorted(flux, key=lambda e: e.name or ""):
        if isinstance(entry, pygit2.Blob) and "gitops-repo" in (entry.name or "") and entry.size < 1 << 20:
            found = _kustomization(entry.data, entry.name or "")
            if found is not None:
                return found
    return None


@at_edge
def reconcile_command(repo: GitopsRepo, env: str, app: str) -> str:
    """`flux reconcile kustomization NAME --with-source` for the Kustomization that applies `env/app`."""
    paths = repo.app_paths(env, app)
    tree = repo.head_commit().tree
    own = lookup(tree, paths.kustomization)
    found = None
    if isinstance(own, pygit2.Blob) and own.size < 1 << 20:
        found = _kustomization(own.data, paths.kustomization_path)
    found = found or _env_kustomization(lookup(tree, paths.kustomization[:-1])) or (FLUX_SYSTEM, FLUX_SYSTEM)
    name, namespace = found
    where = "" if namespace == FLUX_SYSTEM else f" -n {namespace}"
    return f"flux reconcile kustomization {name}{where} --with-source"
