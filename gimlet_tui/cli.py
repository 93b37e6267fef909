"""The command line: `release list`, `release rollback`, `env list`, `app list`, `demo`, and the TUI.

A thin face over `gimlet_tui.gitops`. Errors are one line on stderr with exit status 1 (2 for usage
errors); `--debug` shows tracebacks. Textual is imported only when the TUI opens.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence

import pygit2

from gimlet_tui import __version__
from gimlet_tui.cli_output import Style, plan_text, release_block, release_object, result_text
from gimlet_tui.gitops import (
    EntryKind,
    GitopsError,
    GitopsRepo,
    configured_identity,
    execute_rollback,
    list_apps,
    list_envs,
    parse_identity,
    plan_rollback,
    read_history,
)
from gimlet_tui.gitops.discover import no_history
from gimlet_tui.text import ago, safe


def _add_repo_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """Repository options, accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--repo", metavar="PATH", default="." if top else argparse.SUPPRESS, help="the gitops repository (default: the current directory)")
    parser.add_argument("--branch", metavar="NAME", default=default, help="the branch to read and roll back (default: the checked-out one)")
    parser.add_argument("--repo-per-env", action="store_true", default=False if top else argparse.SUPPRESS, help="the repository holds one env (detected when not given)")
    parser.add_argument("--debug", action="store_true", default=False if top else argparse.SUPPRESS, help="show tracebacks of errors")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gimlet-tui", description="See what was released and roll it back, in a Gimlet gitops repository.")
    parser.add_argument("--version", action="version", version=f"gimlet-tui {__version__}")
    _add_repo_options(parser, top=True)
    parser.add_argument("--read-only", action="store_true", help="TUI: hide every way to roll back")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    release = commands.add_parser("release", help="list releases or roll back").add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = release.add_parser("list", help="releases of an app, newest first")
    _add_repo_options(listing, top=False)
    _add_target(listing)
    listing.add_argument("--limit", type=_count, default=10, help="how many releases (default 10, 0 for all)")
    listing.add_argument("-o", "--output", choices=("text", "json"), default="text")
    listing.set_defaults(handler=cmd_release_list)

    rollback = release.add_parser("rollback", help="roll an app back to a release with revert commits")
    _add_repo_options(rollback, top=False)
    _add_target(rollback)
    rollback.add_argument("--to", required=True, metavar="SHA", help="the gitops sha of the release to go back to")
    rollback.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    rollback.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    rollback.add_argument("--author", metavar='"NAME <EMAIL>"', help="who makes the revert commits (default: git config)")
    rollback.set_defaults(handler=cmd_release_rollback)

    env = commands.add_parser("env", help="envs").add_subparsers(dest="verb", metavar="VERB", required=True)
    env_list = env.add_parser("list", help="the envs of the repository")
    _add_repo_options(env_list, top=False)
    env_list.set_defaults(handler=cmd_env_list)

    app = commands.add_parser("app", help="apps").add_subparsers(dest="verb", metavar="VERB", required=True)
    app_list = app.add_parser("list", help="the apps of an env")
    _add_repo_options(app_list, top=False)
    app_list.add_argument("--env", required=True)
    app_list.set_defaults(handler=cmd_app_list)

    demo = commands.add_parser("demo", help="write a demo repository and print its path")
    demo.add_argument("dir", nargs="?", help="where to write it (default: a new temporary folder)")
    demo.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    demo.set_defaults(handler=cmd_demo)
    return parser


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


def _open(args: argparse.Namespace) -> GitopsRepo:
    return GitopsRepo.open(args.repo, branch=args.branch, repo_per_env=True if args.repo_per_env else None)


def cmd_release_list(args: argparse.Namespace) -> int:
    repo = _open(args)
    repo.check_env(args.env)
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


def cmd_release_rollback(args: argparse.Namespace) -> int:
    repo = _open(args)
    repo.check_env(args.env)
    who = parse_identity(args.author) if args.author else configured_identity(repo.git)
    plan = plan_rollback(repo, args.env, args.app, args.to)
    style = Style(sys.stdout)
    print(plan_text(plan, style))
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise GitopsError("not a terminal, so not asking: pass --yes to roll back (or --dry-run to only look)")
        answer = input("Roll back? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("Not rolled back: nothing was changed.")
            return 1
    result = execute_rollback(repo, plan, who)
    print(result_text(result, style))
    return 0


def cmd_env_list(args: argparse.Namespace) -> int:
    for env in list_envs(_open(args)):
        print(safe(env))
    return 0


def cmd_app_list(args: argparse.Namespace) -> int:
    apps = list_apps(_open(args), args.env)
    width = max((len(a.name) for a in apps), default=0)
    for app in apps:
        state = "deleted" if app.deleted else (app.version_sha or "")[:8]
        print(f"{safe(app.name):<{width}}  {safe(state):<8}  {ago(app.last_changed_at)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from gimlet_tui.demo import default_demo_path, write_demo

    try:
        print(write_demo(args.dir or default_demo_path()))
    except FileExistsError as error:
        raise GitopsError(f"{error}; give a new folder") from None
    return 0


def open_tui(args: argparse.Namespace) -> int:
    repo = _open(args)  # fail fast, with a one-line error, before the screen opens
    from gimlet_tui.tui.app import run_app  # Textual only loads on this path

    return run_app(repo, read_only=args.read_only)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Every git read here streams through history once: libgit2's object cache would only hold
    # memory (380 MB on 100,000 commits, against 150 MB without it) for about 15% of speed.
    pygit2.settings.enable_caching(False)
    handler = getattr(args, "handler", open_tui)
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
