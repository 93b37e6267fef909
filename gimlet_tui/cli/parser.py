"""The command line's grammar: verbs, options, and which handler of `commands` runs each verb.

Only argparse is imported here, so that `--version` and usage errors answer before git is loaded.
Options go before or after the verb, as with helm, kubectl and gh: `command_first` moves the
command words to the front before argparse reads the line.
"""

from __future__ import annotations

import argparse
from typing import Any

from gimlet_tui import __version__
from gimlet_tui.cli.when import parse_when

# Every environment variable the program reads, as `--help` and the README list them.
ENVIRONMENT = (
    ("GIMLET_TUI_REPO", "default for --repo"),
    ("GIMLET_TUI_BRANCH", "default for --branch (with a repository, not a workspace file)"),
    ("GIMLET_TUI_CONFIG", "default for --config"),
    ("GIMLET_TUI_NO_INDEX", "when set, history is read from git every time: no history index"),
    ("GIMLET_TUI_NO_GIT", "when set, history walks use pygit2 alone, not the git command"),
    ("GIMLET_TUI_SSH_PASSPHRASE", "the passphrase of --ssh-key (else asked on a terminal)"),
    ("GIMLET_TUI_GIT_TOKEN", "the token for HTTPS remotes"),
    ("GIMLET_TUI_SERVE_TOKEN", "serve: the token the URL must carry (instead of --token, which ps shows)"),
    ("FORCE_COLOR", "when set (not empty): colour even when not on a terminal"),
    ("NO_COLOR", "when set (not empty): no colour"),
    ("TERM", "dumb: no colour"),
    ("XDG_CONFIG_HOME", "where config.yaml (the workspace file) is looked up"),
    ("XDG_CACHE_HOME", "where the history index and remote mirrors are kept"),
    ("XDG_STATE_HOME", "where the TUI remembers the last env and app"),
)
# Set by gimlet-tui in the environment of the git it runs (askpass helper, credential helper): not settings.
INTERNAL_ENVIRONMENT = (
    "GIMLET_TUI_ASKPASS_SOCKET",
    "GIMLET_TUI_ASKPASS_TOKEN",
    "GIMLET_TUI_CREDENTIAL_USER",
    "GIMLET_TUI_CREDENTIAL_PASSWORD",
)
COLOR_ORDER = "colour: --color always|never, else FORCE_COLOR, else NO_COLOR, else TERM=dumb, else on a terminal only"
OUTPUTS = ("text", "json", "yaml")


def _epilog() -> str:
    width = max(len(name) for name, _ in ENVIRONMENT)
    lines = [f"  {name:<{width}}  {text}" for name, text in ENVIRONMENT]
    return "environment variables:\n" + "\n".join(lines) + f"\n\n{COLOR_ORDER}.\n"


def _default(value: object, top: bool) -> object:
    """Defaults live on the top parser; a verb's copy of the option must not overwrite them."""
    return value if top else argparse.SUPPRESS


Options = argparse.ArgumentParser | argparse._ArgumentGroup


def _add_output_options(parser: Options, top: bool) -> None:
    """Colour and tracebacks: on the top parser and on every verb."""
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=_default("auto", top),
        metavar="WHEN",
        help="auto (default), always or never; FORCE_COLOR, NO_COLOR and TERM=dumb: see gimlet-tui --help",
    )
    parser.add_argument("--debug", action="store_true", default=_default(False, top), help="show tracebacks of errors")


def _add_global_options(parser: Options, top: bool) -> None:
    """Where the envs live, colour and debugging: on the top parser and on every verb that reads a repository."""

    def default(value: object) -> object:
        return _default(value, top)

    add = parser.add_argument
    add(
        "--repo",
        metavar="PATH|URL",
        default=default(None),
        help="one gitops repository: a path (default: $GIMLET_TUI_REPO, else the current directory) or a URL",
    )
    add(
        "--config",
        metavar="PATH",
        default=default(None),
        help="a workspace file naming the repository of each env (default: $GIMLET_TUI_CONFIG)",
    )
    add(
        "--branch",
        metavar="NAME",
        default=default(None),
        help="with --repo: the branch to read and roll back (default: $GIMLET_TUI_BRANCH, else the checked-out one)",
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
    _add_output_options(parser, top)


def _add_target(parser: argparse.ArgumentParser, app: bool = True) -> None:
    # SUPPRESS: a value given before the command (read by the top parser) is not overwritten by None.
    parser.add_argument("-e", "--env", required=True, default=argparse.SUPPRESS, help="the env")
    if app:
        parser.add_argument("-a", "--app", required=True, default=argparse.SUPPRESS, help="the app")


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


def _when(text: str) -> int:
    try:
        return parse_when(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _output(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument(
        "-o", "--output", choices=formats, default="text", metavar="FORMAT", help=f"{'|'.join(formats)} (default: text)"
    )


def _verb(group: Any, name: str, help_text: str, handler: str, repo_options: bool = True) -> argparse.ArgumentParser:
    """A verb whose handler is the function `handler` of `gimlet_tui.cli.commands`."""
    parser: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
    common = parser.add_argument_group("global options (also before the command)")
    if repo_options:
        _add_global_options(common, top=False)
    else:
        _add_output_options(common, top=False)
    parser.set_defaults(handler=handler)
    return parser


def _release_list(release: Any) -> None:
    listing = _verb(release, "list", "releases of an app, newest first", "release_list")
    _add_target(listing)
    add = listing.add_argument
    add("-n", "--limit", type=_count, default=10, help="how many releases (default 10, 0 for all)")
    _output(listing, (*OUTPUTS, "wide"))
    add(
        "--since",
        metavar="WHEN",
        type=_when,
        help="releases at or after WHEN: a date (2026-11-01), a time, or an age (7d, 12h)",
    )
    add("--until", metavar="WHEN", type=_when, help="releases at or before WHEN (same forms as --since)")
    add("--fetch", action="store_true", help="fetch a remote repository first (a rollback always does)")


def _write_options(parser: argparse.ArgumentParser, trailer: str) -> None:
    """What rollback and redeploy share: the reason, looking first, asking, who, and where it lands."""
    add = parser.add_argument
    add("-m", "--reason", metavar="TEXT", help=f"why, in one line: kept as a {trailer} trailer")
    add("--dry-run", action="store_true", help="show the plan, change nothing")
    add("--diff", action="store_true", help="show the exact patch (git's format) after the plan")
    add("-y", "--yes", action="store_true", help="do not ask (needed without a terminal)")
    add("--confirm-env", metavar="NAME", help="with --yes on a protected env: its name, typed out")
    add("--author", metavar='"NAME <EMAIL>"', help="who makes the commits (default: git config)")
    pushing = parser.add_mutually_exclusive_group()
    pushing.add_argument(
        "--push",
        action="store_true",
        default=None,
        help="in a local clone: push to the branch's upstream (the default when it has one; required here)",
    )
    pushing.add_argument(
        "--no-push",
        dest="push",
        action="store_false",
        help="in a local clone: keep it local (Flux will not see it until you push)",
    )
    _output(parser, OUTPUTS)


def _release_rollback(release: Any) -> None:
    rollback = _verb(release, "rollback", "roll an app back to a release with revert commits", "release_rollback")
    _add_target(rollback)
    rollback.add_argument(
        "-t",
        "--to",
        metavar="SHA",
        help="the gitops sha of the release to go back to (default: the one before CURRENT)",
    )
    _write_options(rollback, "Rollback-Reason")


def _release_redeploy(release: Any) -> None:
    redeploy = _verb(
        release,
        "redeploy",
        "roll forward: one commit that makes the app what a release made it (ROLLED BACK ones too)",
        "release_redeploy",
    )
    _add_target(redeploy)
    redeploy.add_argument(
        "-t", "--to", metavar="SHA", required=True, help="the gitops sha of the release to bring back"
    )
    _write_options(redeploy, "Redeploy-Reason")


def _release_verbs(groups: Any) -> None:
    release = groups.add_parser("release", help="list releases or roll back").add_subparsers(
        dest="verb", metavar="VERB", required=True
    )
    _release_list(release)
    _release_rollback(release)
    _release_redeploy(release)


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
    add("-e", "--env", default=argparse.SUPPRESS, help="open each tab on this env")
    add("-a", "--app", default=argparse.SUPPRESS, help="open each tab on this app")


def _other_verbs(groups: Any) -> None:
    env = groups.add_parser("env", help="envs").add_subparsers(dest="verb", metavar="VERB", required=True)
    _output(_verb(env, "list", "the envs of the workspace or repository", "env_list"), OUTPUTS)
    app = groups.add_parser("app", help="apps").add_subparsers(dest="verb", metavar="VERB", required=True)
    apps = _verb(app, "list", "the apps of an env", "app_list")
    _add_target(apps, app=False)
    _output(apps, OUTPUTS)
    config = groups.add_parser("config", help="the workspace file").add_subparsers(
        dest="verb", metavar="VERB", required=True
    )
    _verb(config, "check", "validate the workspace file", "config_check")
    _serve_verb(groups)
    demo = _verb(groups, "demo", "write a demo repository and print its path", "demo", repo_options=False)
    demo.add_argument("dir", nargs="?", help="where to write it (default: a new temporary folder)")
    completion = _verb(
        groups, "completion", "print the shell completion script (see the README)", "completion", repo_options=False
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gimlet-tui",
        description="See what was released and roll it back, in a Gimlet gitops repository.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gimlet-tui {__version__}")
    _add_global_options(parser, top=True)
    parser.add_argument("--read-only", action="store_true", help="TUI: hide every way to roll back")
    pushing = parser.add_mutually_exclusive_group()
    pushing.add_argument(
        "--push",
        action="store_true",
        default=None,
        help="TUI, in a local clone: push rollbacks to the branch's upstream (the default when it has one)",
    )
    pushing.add_argument(
        "--no-push",
        dest="push",
        action="store_false",
        help="TUI, in a local clone: keep rollbacks local (also a command palette setting)",
    )
    parser.add_argument("-e", "--env", help="TUI: open on this env (default: the last one used)")
    parser.add_argument("-a", "--app", help="TUI: open on this app (default: the last one used)")
    parser.set_defaults(handler="open_tui")
    groups = parser.add_subparsers(dest="command", metavar="COMMAND")
    _release_verbs(groups)
    _other_verbs(groups)
    return parser
