"""How a CLI command reaches its repository: the workspace, access settings, transfer progress."""

from __future__ import annotations

import argparse
import os
import sys

from gimlet_tui.gitops import GitopsRepo, check_env, check_env_name, take_reports
from gimlet_tui.gitops.urls import Access, is_url
from gimlet_tui.text import safe
from gimlet_tui.workspace import EnvSource, Workspace, find_config, load_workspace, single_repository


def on_terminal() -> bool:
    """True when a person can answer git's and ssh's questions: stdin is a terminal we are in the foreground of."""
    if not sys.stdin.isatty():
        return False
    try:
        descriptor = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(descriptor) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(descriptor)


def access_of(args: argparse.Namespace, terminal: bool | None = None) -> Access:
    """How git reaches servers for this command: the flags, the environment, and whether a terminal can ask."""
    if getattr(args, "access", None) is None:
        args.access = Access.from_environment(
            args.ssh_key,
            args.accept_new_host_key,
            args.timeout,
            terminal=on_terminal() if terminal is None else terminal,
        )
    access: Access = args.access
    return access


class TransferLine:
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
        # Imported here for start-up time: the transport loads only for remote repositories.
        from gimlet_tui.gitops.remote import open_remote

        repo = open_remote(
            args.repo, args.branch, access_of(args), fetch_now=fetch_now, progress=TransferLine(), repo_per_env=per_env
        )
        return single_repository(repo)
    return single_repository(GitopsRepo.open(args.repo or ".", branch=args.branch, repo_per_env=per_env))


def env_repo(args: argparse.Namespace, fetch_now: bool = False) -> tuple[EnvSource, GitopsRepo]:
    """The env named by --env, and its repository opened (and fetched, when asked)."""
    check_env_name(args.env)  # before the name is compared with anything or becomes a path
    workspace = workspace_of(args, fetch_now)
    source = workspace.env(args.env)
    if workspace.config is None:
        # One repository: it was just opened (and fetched), and its envs are the ones it holds.
        repo = source.open(access_of(args))
    else:
        repo = source.open(access_of(args), fetch_now=fetch_now, progress=TransferLine())
        check_env(repo, args.env)  # a workspace file may name an env its repository does not hold
    say_notices()
    return source, repo


def say_notices() -> None:
    """What the core did on its own while opening (it finished an interrupted rollback): one line each, on stderr."""
    for line in take_reports():
        print(f"note: {safe(line)}", file=sys.stderr)
