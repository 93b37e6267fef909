"""The command line: `release list`, `release rollback`, `env list`, `app list`, `config check`, `demo`, the TUI.

A thin face over `gimlet_tui.gitops`. Errors are one line on stderr with exit status 1 (2 for usage
errors); `--debug` shows tracebacks. Textual is imported only when the TUI opens.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

import pygit2

from gimlet_tui import __version__
from gimlet_tui import cli_commands as commands
from gimlet_tui.gitops import GitopsError
from gimlet_tui.text import safe


def _add_repo_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """Where the envs live, accepted before or after the subcommand."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--repo", metavar="PATH|URL", default=default(None), help="one gitops repository: a path (default: the current directory) or a URL (ssh, https, git, file)")
    parser.add_argument("--config", metavar="PATH", default=default(None), help="a workspace file naming the repository of each env")
    parser.add_argument("--branch", metavar="NAME", default=default(None), help="with --repo: the branch to read and roll back (default: the checked-out one)")
    parser.add_argument("--repo-per-env", action="store_true", default=default(False), help="with --repo: it holds one env (detected when not given)")
    parser.add_argument("--ssh-key", metavar="PATH", default=default(None), help="SSH private key (passphrase: GIMLET_TUI_SSH_PASSPHRASE, or asked on a terminal)")
    parser.add_argument("--accept-new-host-key", action="store_true", default=default(False), help="trust an SSH host that is not in ~/.ssh/known_hosts")
    parser.add_argument("--debug", action="store_true", default=default(False), help="show tracebacks of errors")


def _add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True)
    parser.add_argument("--app", required=True)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _verb(group, name: str, help_text: str, handler, repo_options: bool = True) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=help_text)
    if repo_options:
        _add_repo_options(parser, top=False)
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gimlet-tui", description="See what was released and roll it back, in a Gimlet gitops repository.")
    parser.add_argument("--version", action="version", version=f"gimlet-tui {__version__}")
    _add_repo_options(parser, top=True)
    parser.add_argument("--read-only", action="store_true", help="TUI: hide every way to roll back")
    parser.add_argument("--push", action="store_true", help="TUI, in a local clone: push rollbacks to the branch's upstream (also a command palette setting)")
    parser.add_argument("--env", help="TUI: open on this env (default: the last one used)")
    parser.add_argument("--app", help="TUI: open on this app (default: the last one used)")
    groups = parser.add_subparsers(dest="command", metavar="COMMAND")

    release = groups.add_parser("release", help="list releases or roll back").add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = _verb(release, "list", "releases of an app, newest first", commands.release_list)
    _add_target(listing)
    listing.add_argument("--limit", type=_count, default=10, help="how many releases (default 10, 0 for all)")
    listing.add_argument("-o", "--output", choices=("text", "json"), default="text")
    listing.add_argument("--fetch", action="store_true", help="fetch a remote repository first (a rollback always does)")

    rollback = _verb(release, "rollback", "roll an app back to a release with revert commits", commands.release_rollback)
    _add_target(rollback)
    rollback.add_argument("--to", required=True, metavar="SHA", help="the gitops sha of the release to go back to")
    rollback.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    rollback.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    rollback.add_argument("--confirm-env", metavar="NAME", help="with --yes on a protected env: its name, typed out")
    rollback.add_argument("--author", metavar='"NAME <EMAIL>"', help="who makes the revert commits (default: git config)")
    rollback.add_argument("--push", action="store_true", help="in a local clone: push the reverts to the branch's upstream before moving the branch")

    env = groups.add_parser("env", help="envs").add_subparsers(dest="verb", metavar="VERB", required=True)
    _verb(env, "list", "the envs of the workspace or repository", commands.env_list)
    app = groups.add_parser("app", help="apps").add_subparsers(dest="verb", metavar="VERB", required=True)
    _verb(app, "list", "the apps of an env", commands.app_list).add_argument("--env", required=True)
    config = groups.add_parser("config", help="the workspace file").add_subparsers(dest="verb", metavar="VERB", required=True)
    _verb(config, "check", "validate the workspace file", commands.config_check)

    demo = _verb(groups, "demo", "write a demo repository and print its path", commands.demo, repo_options=False)
    demo.add_argument("dir", nargs="?", help="where to write it (default: a new temporary folder)")
    demo.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.repo is not None and args.config is not None:
        parser.error("give --repo or --config, not both")
    if args.config is not None and (args.branch or args.repo_per_env):
        parser.error("--branch and --repo-per-env go with --repo; a workspace file sets them per env")
    # Every git read here streams through history once: libgit2's object cache would only hold
    # memory (380 MB on 100,000 commits, against 150 MB without it) for about 15% of speed.
    pygit2.settings.enable_caching(False)
    handler = getattr(args, "handler", commands.open_tui)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
        return 130
    except (GitopsError, pygit2.GitError, OSError) as error:
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(f"error: {safe(error)}", file=sys.stderr)
        return 1
