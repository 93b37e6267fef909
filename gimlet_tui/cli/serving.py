"""`gimlet-tui serve`: check what the tabs will open, then serve the TUI to web browsers until Ctrl+C.

Everything a tab could fail on (the workspace, --env, --app, the token, the address) is checked
here, once, with a one-line error, before the server starts; aiohttp and textual-serve load only
after that.
"""

from __future__ import annotations

import argparse
import os
import sys

from gimlet_tui.cli.repos import access_of, workspace_of
from gimlet_tui.cli.start import check_start, keymap_of
from gimlet_tui.gitops import GitopsRepo
from gimlet_tui.gitops.urls import Access
from gimlet_tui.serve.launch import (
    TOKEN_VARIABLE,
    TabOptions,
    choose_token,
    page_title,
    tab_command,
    url_to_open,
)
from gimlet_tui.text import safe
from gimlet_tui.workspace import Workspace


def _repository_names(workspace: Workspace, access: Access) -> list[str]:
    """The names the TUI's header shows for the repositories of the workspace."""
    opened: dict[tuple[str, str | None], str] = {}
    for source in workspace.sources:
        if (source.repo, source.branch) not in opened:
            opened[(source.repo, source.branch)] = source.open(access).info().name
    if not opened and workspace.repo is not None:
        return [GitopsRepo.open(workspace.repo, branch=workspace.branch).info().name]
    return list(opened.values())


def serve(args: argparse.Namespace) -> int:
    token, warning = choose_token(args.host, args.token or os.environ.get(TOKEN_VARIABLE) or None, args.no_token)
    workspace = workspace_of(args)
    access = access_of(args)
    check_start(workspace, args.env, args.app, access)  # once here, not in every tab
    keymap_of(workspace)  # a bad keymap is refused here too, not in every tab
    options = TabOptions(
        repo=(args.repo or workspace.repo) if workspace.config is None else None,
        config=workspace.config,
        branch=args.branch,
        repo_per_env=args.repo_per_env,
        timeout=args.timeout,
        ssh_key=args.ssh_key,
        accept_new_host_key=args.accept_new_host_key,
        # A key's passphrase is not asked here: ssh asks in each tab's own modal, and a tab inherits
        # GIMLET_TUI_SSH_PASSPHRASE from this environment when it is set.
        passphrase=None,
        env=args.env,
        app=args.app,
        read_only=args.read_only,
        push=args.push,
    )
    argv, child_env = tab_command(options)
    title = page_title(_repository_names(workspace, access), args.read_only)
    # Imported here for start-up time: aiohttp and textual-serve load only when serving.
    from gimlet_tui.serve.server import Dashboard, serve_dashboard

    dashboard = Dashboard(argv, title, args.host, args.port, token, child_env)
    if warning:
        print(warning, file=sys.stderr)

    def announce(port: int) -> None:
        print(f"Serving {safe(title)}: one app per browser tab. Ctrl+C stops it.", flush=True)
        print(f"Open {url_to_open(args.host, port, token)}", flush=True)

    serve_dashboard(dashboard, announce)
    print("Stopped: every tab's app has ended.", flush=True)
    return 0
