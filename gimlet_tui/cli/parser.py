"""The command line's grammar: verbs, options, and which handler of `commands` runs each verb.

Only argparse is imported here, so that `--version` and usage errors answer before git is loaded.
"""

from __future__ import annotations

import argparse
from typing import Any

from gimlet_tui import __version__


def _add_repo_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """Where the envs live, accepted before or after the subcommand."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    add = parser.add_argument
    add(
        "--repo",
        metavar="PATH|URL",
        default=default(None),
        help="one gitops repository: a path (default: the current directory) or a URL (ssh, https, git, file)",
    )
    add("--config", metavar="PATH", default=default(None), help="a workspace file naming the repository of each env")
    add(
        "--branch",
        metavar="NAME",
        default=default(None),
        help="with --repo: the branch to read and roll back (default: the checked-out one)",
    )
    add(
        "--repo-per-env",
        action="store_true",
        default=default(False),
        help="with --repo: it holds one env (detected when not given)",
    )
    add(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=default(60.0),
        help="the longest a fetch, clone or push may take, as a whole (default 60)",
    )
    add(
        "--ssh-key",
        metavar="PATH",
        default=default(None),
        help="use this SSH key (added to your ssh command as -i PATH; your ssh config is still read)",
    )
    add(
        "--accept-new-host-key",
        action="store_true",
        default=default(False),
        help="trust and record an SSH host not yet in known_hosts (ssh's StrictHostKeyChecking=accept-new)",
    )
    add("--debug", action="store_true", default=default(False), help="show tracebacks of errors")


def _add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True)
    parser.add_argument("--app", required=True)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError("must be more than 0 and less than a day")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _verb(group: Any, name: str, help_text: str, handler: str, repo_options: bool = True) -> argparse.ArgumentParser:
    """A verb whose handler is the function `handler` of `gimlet_tui.cli.commands`."""
    parser: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    if repo_options:
        _add_repo_options(parser, top=False)
    parser.set_defaults(handler=handler)
    return parser


def _release_verbs(groups: Any) -> None:
    release = groups.add_parser("release", help="list releases or roll back").add_subparsers(
        dest="verb", metavar="VERB", required=True
    )
    listing = _verb(release, "list", "releases of an app, newest first", "release_list")
    _add_target(listing)
    listing.add_argument("--limit", type=_count, default=10, help="how many releases (default 10, 0 for all)")
    listing.add_argument("-o", "--output", choices=("text", "json"), default="text")
    listing.add_argument(
        "--fetch", action="store_true", help="fetch a remote repository first (a rollback always does)"
    )

    rollback = _verb(release, "rollback", "roll an app back to a release with revert commits", "release_rollback")
    _add_target(rollback)
    add = rollback.add_argument
    add("--to", required=True, metavar="SHA", help="the gitops sha of the release to go back to")
    add("--dry-run", action="store_true", help="show the plan, change nothing")
    add("--yes", action="store_true", help="do not ask (needed without a terminal)")
    add("--confirm-env", metavar="NAME", help="with --yes on a protected env: its name, typed out")
    add("--author", metavar='"NAME <EMAIL>"', help="who makes the revert commits (default: git config)")
    add(
        "--push",
        action="store_true",
        help="in a local clone: push the reverts to the branch's upstream before moving the branch",
    )


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("must be 65535 or less")
    return value


def _serve_verb(groups: Any) -> None:
    serve = _verb(groups, "serve", "serve the TUI to web browsers, one app per tab, until Ctrl+C", "serve")
    add = serve.add_argument
    add("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    add("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")
    add(
        "--token",
        help="the token the URL must carry (or set GIMLET_TUI_SERVE_TOKEN, which ps does not show); "
        "default on loopback: a new random one",
    )
    add("--no-token", action="store_true", help="serve without a token (prints a warning)")
    # Also accepted before `serve`, as for the TUI.
    add("--read-only", action="store_true", default=argparse.SUPPRESS, help="hide every way to roll back")
    add("--push", action="store_true", default=argparse.SUPPRESS, help="in a local clone: push rollbacks upstream")
    add("--env", default=argparse.SUPPRESS, help="open each tab on this env")
    add("--app", default=argparse.SUPPRESS, help="open each tab on this app")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gimlet-tui", description="See what was released and roll it back, in a Gimlet gitops repository."
    )
    parser.add_argument("--version", action="version", version=f"gimlet-tui {__version__}")
    _add_repo_options(parser, top=True)
    parser.add_argument("--read-only", action="store_true", help="TUI: hide every way to roll back")
    parser.add_argument(
        "--push",
        action="store_true",
        help="TUI, in a local clone: push rollbacks to the branch's upstream (also a command palette setting)",
    )
    parser.add_argument("--env", help="TUI: open on this env (default: the last one used)")
    parser.add_argument("--app", help="TUI: open on this app (default: the last one used)")
    parser.set_defaults(handler="open_tui")
    groups = parser.add_subparsers(dest="command", metavar="COMMAND")
    _release_verbs(groups)
    env = groups.add_parser("env", help="envs").add_subparsers(dest="verb", metavar="VERB", required=True)
    _verb(env, "list", "the envs of the workspace or repository", "env_list")
    app = groups.add_parser("app", help="apps").add_subparsers(dest="verb", metavar="VERB", required=True)
    _verb(app, "list", "the apps of an env", "app_list").add_argument("--env", required=True)
    config = groups.add_parser("config", help="the workspace file").add_subparsers(
        dest="verb", metavar="VERB", required=True
    )
    _verb(config, "check", "validate the workspace file", "config_check")
    _serve_verb(groups)
    demo = _verb(groups, "demo", "write a demo repository and print its path", "demo", repo_options=False)
    demo.add_argument("dir", nargs="?", help="where to write it (default: a new temporary folder)")
    demo.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    return parser
