"""Shell completion through argcomplete: the scripts `gimlet-tui completion SHELL` prints, and the completers.

The shell runs `gimlet-tui` with `_ARGCOMPLETE=1` and the line typed so far; `main` hands the
parser to `autocomplete`, which prints the candidates and exits. Verbs, options and choices come
from the parser; env names, app names and release shas from the repository named on the line (or
by GIMLET_TUI_REPO / GIMLET_TUI_CONFIG), read cheaply: names from the head tree, shas from the
history index only. A remote repository is completed only once it is mirrored: never a network call.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import argcomplete
from argcomplete.completers import DirectoriesCompleter, FilesCompleter
from argcomplete.shell_integration import shellcode

from gimlet_tui.cli.argv import from_environment
from gimlet_tui.gitops import GitopsError, GitopsRepo, apps_at_head, known_targets
from gimlet_tui.gitops.urls import is_url
from gimlet_tui.text import ago, one_line
from gimlet_tui.workspace import EnvSource, Workspace, find_config, load_workspace, single_repository

PROGRAM = "gimlet-tui"


def shell_script(shell: str) -> str:
    """The completion script for bash, zsh or fish (see the README for where each goes)."""
    return shellcode([PROGRAM], shell=shell).rstrip("\n")


def _open(repo: str, branch: str | None, per_env: bool | None, env_name: str | None = None) -> GitopsRepo | None:
    """The repository, or None when reaching it would need the network (a remote not yet mirrored)."""
    if is_url(repo):
        # Imported here for start-up time: the transport loads only for remote repositories.
        from gimlet_tui.gitops.remote import mirror_of

        mirror = mirror_of(repo)  # read as it is: no fetch, no clone, no lock to wait for
        if mirror is None:
            return None
        repo = mirror
    return GitopsRepo.open(repo, branch=branch, repo_per_env=per_env, env_name=env_name)


def _workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace the line names, as `repos.workspace_of` finds it but never over the network."""
    from_environment(args)
    if getattr(args, "repo", None) is None:
        config = find_config(getattr(args, "config", None))
        if config is not None:
            return load_workspace(config)
    per_env = True if getattr(args, "repo_per_env", False) else None
    repo = _open(getattr(args, "repo", None) or ".", getattr(args, "branch", None), per_env)
    return single_repository(repo) if repo is not None else None


def _env_repo(args: argparse.Namespace) -> tuple[str, GitopsRepo] | None:
    workspace = _workspace(args)
    env = getattr(args, "env", None)
    source: EnvSource | None = workspace.source(env) if workspace is not None and env else None
    if source is None:
        return None
    repo = _open(source.repo, source.branch, source.repo_per_env, source.name)
    return (source.name, repo) if repo is not None else None


def env_names(parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    workspace = _workspace(parsed_args)
    return workspace.names() if workspace is not None else []


def app_names(parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    found = _env_repo(parsed_args)
    return [app.name for app in apps_at_head(found[1], found[0])] if found is not None else []


def release_shas(parsed_args: argparse.Namespace, **_: Any) -> dict[str, str]:
    """Releases that can be rollback targets, newest first, each described (zsh and fish show it)."""
    found = _env_repo(parsed_args)
    app = getattr(parsed_args, "app", None)
    if found is None or not app:
        return {}
    described = {}
    for entry in known_targets(found[1], found[0], app):
        version = entry.release.version if entry.release else None
        label = f"{(version.sha or '')[:8]} {one_line(version.message)}" if version else one_line(entry.subject)
        described[entry.short] = f"{ago(entry.committed_at)}  {label}"
    return described


def _quiet(completer: Callable[..., Any]) -> Callable[..., Any]:
    """A completer that offers nothing, rather than a traceback, when the repository cannot be read."""

    def complete(**kwargs: Any) -> Any:
        try:
            return completer(**kwargs)
        except (GitopsError, OSError):
            return []

    return complete


COMPLETERS: dict[str, Any] = {
    "env": _quiet(env_names),
    "app": _quiet(app_names),
    "to": _quiet(release_shas),
    "repo": DirectoriesCompleter(),
    "config": FilesCompleter(),
    "ssh_key": FilesCompleter(),
}


def _attach(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if action.dest in COMPLETERS:
            action.completer = COMPLETERS[action.dest]  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _attach(child)


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request (when `_ARGCOMPLETE` is set) and exit; else return."""
    _attach(parser)
    argcomplete.autocomplete(parser, always_complete_options=False)
