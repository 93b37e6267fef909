"""What each CLI command does, over the workspace and the release engine."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from gimlet_tui.cli_output import Style, plan_text, release_block, release_object, result_text
from gimlet_tui.gitops import (
    EntryKind,
    GitopsError,
    GitopsRepo,
    configured_identity,
    execute_rollback,
    list_apps,
    parse_identity,
    plan_rollback,
    read_history,
)
from gimlet_tui.gitops.discover import no_history
from gimlet_tui.gitops.names import check_env_name
from gimlet_tui.gitops.urls import Access, is_url
from gimlet_tui.text import ago, safe
from gimlet_tui.workspace import EnvSource, Workspace, find_config, load_workspace, single_repository


def access_of(args: argparse.Namespace) -> Access:
    """Credentials and host trust from the flags and the environment; a passphrase is asked once."""
    if getattr(args, "access", None) is None:
        passphrase = None
        if args.ssh_key and "GIMLET_TUI_SSH_PASSPHRASE" not in os.environ and sys.stdin.isatty():
            passphrase = getpass.getpass(f"Passphrase for {args.ssh_key} (empty if none): ")
        args.access = Access.from_environment(args.ssh_key, args.accept_new_host_key, passphrase)
    return args.access


class _TransferLine:
    """Transfer progress on stderr: one line updated in place on a terminal, one final line otherwise."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self, received: int, total: int, size: int) -> None:
        if not total or self.done:
            return
        line = f"Receiving objects: {received * 100 // total}% ({received:,}/{total:,}), {size / 1048576:.1f} MiB"
        if sys.stderr.isatty():
            print(f"\r{line}", end="" if received < total else "\n", file=sys.stderr, flush=True)
        elif received == total:
            print(line, file=sys.stderr)
        self.done = received == total


def workspace_of(args: argparse.Namespace, fetch_now: bool = False) -> Workspace:
    """The workspace file when one is found (and no --repo was given), else the one repository."""
    if args.repo is None:
        config = find_config(args.config)
        if config is not None:
            return load_workspace(config)
    per_env = True if args.repo_per_env else None
    if args.repo is not None and is_url(args.repo):
        from gimlet_tui.gitops.remote import open_remote

        repo = open_remote(args.repo, args.branch, access_of(args), fetch_now=fetch_now, progress=_TransferLine(), repo_per_env=per_env)
        return single_repository(repo, args.repo)
    return single_repository(GitopsRepo.open(args.repo or ".", branch=args.branch, repo_per_env=per_env))


def _env_repo(args: argparse.Namespace, fetch_now: bool = False) -> tuple[EnvSource, GitopsRepo]:
    check_env_name(args.env)  # before the name is compared with anything or becomes a path
    workspace = workspace_of(args, fetch_now)
    source = workspace.env(args.env)
    if workspace.config is None:
        # One repository: it was just opened (and fetched), and its envs are the ones it holds.
        return source, source.open(access_of(args))
    repo = source.open(access_of(args), fetch_now=fetch_now, progress=_TransferLine())
    repo.check_env(args.env)  # a workspace file may name an env its repository does not hold
    return source, repo


def release_list(args: argparse.Namespace) -> int:
    _, repo = _env_repo(args, fetch_now=args.fetch)
    entries = read_history(repo, args.env, args.app, limit=args.limit or None)
    if not entries:
        raise no_history(repo, args.env, args.app)
    releases = [e for e in entries if e.kind is EntryKind.RELEASE]
    if args.output == "json":
        print(json.dumps([release_object(e, args.env, args.app) for e in releases], indent=2))
        return 0
    style = Style(sys.stdout)
    info = repo.info()
    print("\n\n".join(release_block(e, info, args.env, args.app, style) for e in releases))
    return 0


def _confirmed(args: argparse.Namespace, source: EnvSource) -> bool:
    """Ask, or check --yes (and --confirm-env on a protected env). False: the user said no."""
    if args.yes:
        if source.protected and args.confirm_env != source.name:
            raise GitopsError(f"{source.name} is protected: add --confirm-env {source.name} to --yes")
        return True
    if not sys.stdin.isatty():
        raise GitopsError("not a terminal, so not asking: pass --yes to roll back (or --dry-run to only look)")
    if source.protected:
        answer = input(f"{source.name} is protected. Type its name to roll back: ").strip()
        return answer == source.name
    return input("Roll back? [y/N] ").strip().lower() in ("y", "yes")


def release_rollback(args: argparse.Namespace) -> int:
    source, repo = _env_repo(args, fetch_now=True)  # a remote one is planned on the server's tip
    if source.read_only:
        raise GitopsError(f"{source.name} is read-only in the workspace file: rollback is off there")
    who = parse_identity(args.author) if args.author else configured_identity(repo.git)
    plan = plan_rollback(repo, args.env, args.app, args.to)
    style = Style(sys.stdout)
    print(plan_text(plan, style))
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    if not _confirmed(args, source):
        print("Not rolled back: nothing was changed.")
        return 1
    if source.remote:
        from gimlet_tui.gitops.remote import push_rollback

        confirmed = tuple(p.entry.sha for p in plan.reverts)
        result = push_rollback(
            source.repo, source.branch or repo.branch, args.env, args.app, plan.target.sha, access_of(args), who,
            repo_per_env=source.repo_per_env, env_name=source.name, confirmed=confirmed,
        )
    elif args.push:
        from gimlet_tui.gitops.remote import push_local_rollback

        result = push_local_rollback(repo, plan, who, access_of(args))
    else:
        result = execute_rollback(repo, plan, who)
    print(result_text(result, style))
    return 0


def env_list(args: argparse.Namespace) -> int:
    for source in workspace_of(args).sources:
        flags = [flag for flag, on in (("protected", source.protected), ("read-only", source.read_only)) if on]
        print(safe(source.name) + (f"  ({', '.join(flags)})" if flags else ""))
    return 0


def app_list(args: argparse.Namespace) -> int:
    _, repo = _env_repo(args)
    apps = list_apps(repo, args.env)
    width = max((len(a.name) for a in apps), default=0)
    for app in apps:
        state = "deleted" if app.deleted else (app.version_sha or "")[:8]
        print(f"{safe(app.name):<{width}}  {safe(state):<8}  {ago(app.last_changed_at)}")
    return 0


def config_check(args: argparse.Namespace) -> int:
    config = find_config(args.config)
    if config is None:
        raise GitopsError("no workspace file: give --config PATH, or write ./.gimlet-tui.yaml or $XDG_CONFIG_HOME/gimlet-tui/config.yaml")
    workspace = load_workspace(config)
    print(f"{safe(config)}: {len(workspace.sources)} environment(s), all repositories found")
    for source in workspace.sources:
        extra = "".join(f"  {flag}" for flag, on in (("protected", source.protected), ("read-only", source.read_only)) if on)
        branch = f"@{safe(source.branch)}" if source.branch else ""
        print(f"  {safe(source.name)}  {safe(source.repo)}{branch}{extra}")
    return 0


def demo(args: argparse.Namespace) -> int:
    from gimlet_tui.demo import default_demo_path, write_demo

    try:
        print(write_demo(args.dir or default_demo_path()))
    except FileExistsError as error:
        raise GitopsError(f"{error}; give a new folder") from None
    return 0


def open_tui(args: argparse.Namespace) -> int:
    workspace = workspace_of(args)  # fail fast, with a one-line error, before the screen opens
    from gimlet_tui.tui.app import run_app  # Textual only loads on this path

    if args.env is not None:
        check_env_name(args.env)
        workspace.env(args.env)  # an unknown env is a one-line error here, not an empty screen
    return run_app(workspace, read_only=args.read_only, access=access_of(args), push=args.push, env=args.env, app=args.app)
