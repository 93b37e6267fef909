"""The order of a command line's words, and defaults from the environment, for the grammar in `parser`.

Options may come before or after the verb (`gimlet-tui -e staging release list`): `command_first`
moves the command words to the front. `from_environment` fills --repo, --config and --branch from
GIMLET_TUI_* where they were not given.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _parsers(parser: argparse.ArgumentParser) -> Sequence[argparse.ArgumentParser]:
    found = [parser]
    for child in _subcommands(parser).values():
        found += _parsers(child)
    return found


def _value_options(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string, of any verb, that takes a value."""
    return {
        option
        for each in _parsers(parser)
        for action in each._actions
        if action.nargs != 0 and action.option_strings
        for option in action.option_strings
    }


def _takes_value(token: str, valued: set[str]) -> bool:
    """True when `token` (an option) takes its value from the next word."""
    if "=" in token:
        return False
    if token.startswith("--"):
        if token in valued:
            return True
        longs = {o for o in valued if o.startswith("--")}
        candidates = [o for o in longs if o.startswith(token)]
        return len(candidates) == 1  # an unambiguous abbreviation, as argparse allows
    for index, char in enumerate(token[1:], start=1):  # -y, -yn5, -e staging, -ye staging
        if f"-{char}" in valued:
            return index == len(token) - 1
    return False


def command_first(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """`argv` with its command words (`release list`) moved to the front, everything else in order.

    So `gimlet-tui -e staging release list -a api` reads as `release list -e staging -a api`.
    """
    valued = _value_options(parser)
    words: list[str] = []
    rest: list[str] = []
    node: argparse.ArgumentParser | None = parser
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            rest += argv[index:]
            break
        if token.startswith("-") and token != "-":
            rest.append(token)
            if _takes_value(token, valued) and index + 1 < len(argv):
                rest.append(argv[index + 1])
                index += 1
        elif node is not None and token in _subcommands(node):
            words.append(token)
            node = _subcommands(node)[token]
        else:
            rest.append(token)
            node = None  # a positional: later words are its arguments, not commands
        index += 1
    return words + rest


def from_environment(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> str | None:
    """Fill --repo, --config and --branch from GIMLET_TUI_* where not given; a usage error, or None."""
    if getattr(args, "repo", None) is None and getattr(args, "config", None) is None:
        repo = environ.get("GIMLET_TUI_REPO") or None
        config = environ.get("GIMLET_TUI_CONFIG") or None
        if repo and config:
            return "GIMLET_TUI_REPO and GIMLET_TUI_CONFIG are both set: unset one, or give --repo or --config"
        args.repo, args.config = repo, config
    if getattr(args, "branch", None) is None and getattr(args, "config", None) is None:
        args.branch = environ.get("GIMLET_TUI_BRANCH") or None
    return None
