"""The command line's entry point: parse, run one verb, turn every refusal into one line.

A thin face over `gimlet_tui.gitops`. Errors are one line on stderr with exit status 1 (2 for usage
errors); `--debug` shows tracebacks. A reader that closes the pipe (`| head`) ends the output
quietly with status 0. Textual is imported only when the TUI opens, argcomplete only when a shell
asks for completions.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from gimlet_tui import early_walk, gc_pause
from gimlet_tui.cli.argv import command_first, from_environment
from gimlet_tui.cli.parser import build_parser
from gimlet_tui.dirs import found_workspace_files


def process_main() -> int:
    """The `gimlet-tui` process: `main`, with the garbage collector paused while it starts (`gc_pause`)."""
    gc_pause.pause()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except KeyboardInterrupt:  # while starting (parsing, loading the engine): nothing was done yet
        print("interrupted: nothing was changed", file=sys.stderr)
        return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:
        # Imported here for start-up time: argcomplete loads only when a shell asks for completions.
        from gimlet_tui.cli.complete import autocomplete

        autocomplete(parser)
    args = parser.parse_args(command_first(sys.argv[1:] if argv is None else argv, parser))
    problem = from_environment(args)
    if problem:
        parser.error(problem)
    if args.repo is not None and args.config is not None:
        parser.error("give --repo or --config, not both")
    if args.config is not None and (args.branch or args.repo_per_env):
        parser.error("--branch and --repo-per-env go with --repo; a workspace file sets them per env")
    head_start(args)
    return run(args)


def head_start(args: argparse.Namespace) -> None:
    """Start git walking the app named on the command line now, while the engine loads (`early_walk`).

    Only for one local repository (--repo, or the current folder without a workspace file) and
    the verbs that read an app's history first: the release list and the TUI.
    """
    if args.handler not in ("release_list", "open_tui") or args.repo_per_env:
        return
    if (
        args.env is None
        or args.app is None
        or (args.repo is None and (args.config is not None or found_workspace_files()))
    ):
        return
    early_walk.start(args.repo or ".", args.branch, args.env, args.app)


def run(args: argparse.Namespace) -> int:
    """Run the verb's handler; one line on stderr for a refusal, nothing for a closed pipe."""
    # Imported after parsing, for start-up time: `--version` and usage errors need no git.
    from gimlet_tui.cli import commands
    from gimlet_tui.cli.output import silence
    from gimlet_tui.cli.repos import say_notices
    from gimlet_tui.gitops import GitopsError, finished_words, last_landed, stream_objects
    from gimlet_tui.gitops.urls import redact_text
    from gimlet_tui.text import safe

    if args.handler != "open_tui":
        gc_pause.resume()  # the verb's modules are loaded; the TUI resumes it once its first rows are painted
    tolerant_streams()
    stream_objects()
    handler = getattr(commands, args.handler)
    debug = getattr(args, "debug", False)
    try:
        code: int = handler(args)
        say_notices()
        return code
    except BrokenPipeError:
        silence(sys.stdout)  # the reader went away: end quietly, as `git log | head` does
        say_notices()
        return 0
    except KeyboardInterrupt as interrupt:
        landed = last_landed()  # a rollback or redeploy whose branch had moved, wherever the interrupt came
        say_notices()
        # The core says what is true when an interrupt came after something changed; else nothing did.
        truth = safe(interrupt) or (finished_words(landed) if landed is not None else "nothing was changed")
        print(f"interrupted: {truth}", file=sys.stderr)
        return 130
    except GitopsError as error:
        say_notices()
        if debug:
            print(redact_text(traceback.format_exc()), end="", file=sys.stderr)
        print(f"error: {safe(redact_text(str(error)))}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: one line, its traceback with --debug, never a secret
        if debug:
            print(redact_text(traceback.format_exc()), end="", file=sys.stderr)
        print(f"error: unexpected {type(error).__name__}: {safe(redact_text(str(error)))}", file=sys.stderr)
        print("(run again with --debug for the traceback, and please report it)", file=sys.stderr)
        return 1


def tolerant_streams() -> None:
    """Whatever stdout and stderr can encode (ASCII, strict UTF-8), the rest is written escaped, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
