"""What each CLI verb does, over the workspace and the release engine. One function per verb.

Data goes to stdout (`emit`); questions, progress and "nothing was changed" notes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time

from gimlet_tui.cli.landing import land
from gimlet_tui.cli.objects import app_item, dump, env_item, release_item
from gimlet_tui.cli.output import Style, emit, release_block
from gimlet_tui.cli.repos import access_of, env_repo, workspace_of
from gimlet_tui.cli.serving import serve
from gimlet_tui.cli.start import check_start, keymap_of, terminal_problem
from gimlet_tui.cli.table import wide_table
from gimlet_tui.gitops import (
    BadInput,
    EntryKind,
    GitopsRepo,
    UnknownTarget,
    history_cached,
    list_apps,
    no_history,
    plan_redeploy,
    plan_rollback,
    read_history,
    speed_up_hint,
)
from gimlet_tui.gitops.urls import redact
from gimlet_tui.text import ago, safe
from gimlet_tui.workspace import ConfigError, find_config, load_workspace

__all__ = ["serve"]  # `gimlet-tui serve` lives in serving.py; the parser names it here like every verb


def _style(args: argparse.Namespace) -> Style:
    return Style(sys.stdout, getattr(args, "color", "auto"))


def release_list(args: argparse.Namespace) -> int:
    _, repo = env_repo(args, fetch_now=args.fetch)
    cold, started = not history_cached(repo, args.env, args.app), time.monotonic()
    entries = read_history(repo, args.env, args.app, limit=args.limit or None, since=args.since, until=args.until)
    if not entries and not read_history(repo, args.env, args.app, limit=1):
        raise no_history(repo, args.env, args.app)  # an empty window is no error; an app without history is
    if cold:
        _hint_if_slow(repo, time.monotonic() - started)
    releases = [e for e in entries if e.kind is EntryKind.RELEASE]
    if args.output in ("json", "yaml"):
        name = repo.info().name
        emit(dump([release_item(e, args.env, args.app, name) for e in releases], args.output))
    elif args.output == "wide":
        emit(wide_table(entries, _style(args)))
    elif releases:
        info = repo.info()
        emit("\n\n".join(release_block(e, info, args.env, args.app, _style(args)) for e in releases))
    return 0


SLOW_READ = 1.0  # seconds: a first read this slow earns the hint below


def _hint_if_slow(repo: GitopsRepo, seconds: float) -> None:
    """After a slow cold read of a repository without Bloom filters: the git command that helps.

    On stderr, so that output for programs stays as it is; only when slow, so small repositories and
    warm reads never show it.
    """
    if seconds >= SLOW_READ and (command := speed_up_hint(repo)):
        emit(f"hint: reading this history took {seconds:.1f} s; to make first reads faster, run: {command}", sys.stderr)


def release_rollback(args: argparse.Namespace) -> int:
    args.previous = args.to is None  # the plan says it chose the release before CURRENT
    return land(args, lambda repo: plan_rollback(repo, args.env, args.app, args.to), "Roll back")


def release_redeploy(args: argparse.Namespace) -> int:
    args.previous = False
    return land(args, lambda repo: plan_redeploy(repo, args.env, args.app, args.to), "Redeploy")


def env_list(args: argparse.Namespace) -> int:
    workspace = workspace_of(args)
    if not workspace.sources and workspace.hint:
        raise UnknownTarget(workspace.hint)
    if args.output != "text":
        emit(dump([env_item(source) for source in workspace.sources], args.output))
        return 0
    for source in workspace.sources:
        flags = [flag for flag, on in (("protected", source.protected), ("read-only", source.read_only)) if on]
        if source.named_by:
            flags.append(f"one env per repository, named by {source.named_by}")
        emit(safe(source.name) + (f"  ({', '.join(flags)})" if flags else ""))
    return 0


def app_list(args: argparse.Namespace) -> int:
    _, repo = env_repo(args)
    apps = list_apps(repo, args.env)
    if args.output != "text":
        emit(dump([app_item(app, args.env) for app in apps], args.output))
        return 0
    width = max((len(a.name) for a in apps), default=0)
    for app in apps:
        state = "deleted" if app.deleted else (app.version_sha or "")[:8]
        emit(f"{safe(app.name):<{width}}  {safe(state):<8}  {ago(app.last_changed_at)}")
    return 0


def config_check(args: argparse.Namespace) -> int:
    config = find_config(args.config)
    if config is None:
        raise ConfigError(
            "no workspace file: give --config PATH, or write ./.gimlet-tui.yaml or $XDG_CONFIG_HOME/gimlet-tui/config.yaml"
        )
    workspace = load_workspace(config)
    emit(f"{safe(config)}: {len(workspace.sources)} environment(s), all repositories found")
    for source in workspace.sources:
        extra = "".join(
            f"  {flag}" for flag, on in (("protected", source.protected), ("read-only", source.read_only)) if on
        )
        branch = f"@{safe(source.branch)}" if source.branch else ""
        emit(f"  {safe(source.name)}  {safe(redact(source.repo))}{branch}{extra}")
    keymap = keymap_of(workspace)
    if keymap:
        emit(f"keymap: {', '.join(f'{binding} = {keys}' for binding, keys in keymap.items())}")
    return 0


def demo(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only this verb writes a demo.
    from gimlet_tui.demo import default_demo_path, write_demo

    try:
        emit(write_demo(args.dir or default_demo_path()))
    except FileExistsError as error:
        raise BadInput(f"{error}; give a new folder") from None
    return 0


def completion(args: argparse.Namespace) -> int:
    # Imported here for start-up time: argcomplete loads only for completion.
    from gimlet_tui.cli.complete import shell_script

    emit(shell_script(args.shell))
    return 0


def open_tui(args: argparse.Namespace) -> int:
    workspace = workspace_of(args)  # fail fast, with a one-line error, before the screen opens
    check_start(workspace, args.env, args.app, access_of(args))  # an unknown env or app: one line, no screen
    keymap = keymap_of(workspace)
    problem = terminal_problem()
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    # Imported here for start-up time: Textual only loads on this path.
    from gimlet_tui.tui.app import TuiOptions, run_app

    options = TuiOptions(
        workspace,
        read_only=args.read_only,
        access=access_of(args),
        push=args.push is not False,  # pushed by default; --no-push keeps rollbacks in the clone
        start_env=args.env,
        start_app=args.app,
        keymap=keymap,
    )
    return run_app(options)
