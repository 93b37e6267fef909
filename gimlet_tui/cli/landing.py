"""`release rollback` and `release redeploy`: plan, show, ask, carry out, and say where it landed.

Both land the same way (`gitops.apply`): on a remote repository's mirror they go to the server; in a
clone whose branch has an upstream they are pushed there by default (fetched first, fast-forwarded
if behind, refused if diverged), `--no-push` keeps them local with a loud NOT PUSHED line; after a
push, the last line is the Flux command that applies it at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from gimlet_tui.cli.objects import dump, plan_object, result_object
from gimlet_tui.cli.output import Style, ask, emit, patch_text, plan_text, result_text
from gimlet_tui.cli.repos import TransferLine, access_of, env_repo
from gimlet_tui.gitops import (
    BadInput,
    GitopsRepo,
    RollbackPlan,
    RollbackRefused,
    apply_rollback,
    check_reason,
    configured_identity,
    parse_identity,
    push_destination,
)
from gimlet_tui.text import safe
from gimlet_tui.workspace import EnvSource

Planner = Callable[[GitopsRepo], RollbackPlan]


def _confirmed(args: argparse.Namespace, source: EnvSource, verb: str) -> bool:
    """Ask on stderr, or check --yes (and --confirm-env on a protected env). False: the user said no."""
    if args.yes:
        if source.protected and args.confirm_env != source.name:
            raise RollbackRefused(f"{source.name} is protected: add --confirm-env {source.name} to --yes")
        return True
    if not sys.stdin.isatty():
        raise BadInput(f"not a terminal, so not asking: pass --yes to {verb.lower()} (or --dry-run to only look)")
    if source.protected:
        return ask(f"{source.name} is protected. Type its name to {verb.lower()}: ") == source.name
    return ask(f"{verb}? [y/N] ").lower() in ("y", "yes")


def _landing_lines(destination: str | None, reconcile: str | None, args: argparse.Namespace) -> list[str]:
    """Where it will land, for the plan: the last line is the Flux command when it is pushed."""
    if destination is not None:
        return [
            f"Will push to {safe(destination)} (never forced). Flux applies it at its next sync; at once with:",
            reconcile or "",
        ]
    if args.push is False:
        return ["Will stay in this clone (--no-push): Flux will not see it until you push."]
    return []


def _prepare(args: argparse.Namespace, repo: GitopsRepo) -> tuple[GitopsRepo, str | None, bool]:
    """The repository to plan on, where the result will be pushed, and whether the branch was fast-forwarded.

    A clone that will push is fetched and caught up with its upstream first.
    """
    if repo.origin is not None and args.push is False:
        raise BadInput(
            f"--no-push: {repo.origin.shown} is a remote repository, whose changes always go to the server; "
            "clone it to keep a change local"
        )
    destination = push_destination(repo, args.push)
    if destination is None or repo.origin is not None:
        return repo, destination, False
    # Imported here for start-up time: the transport loads only where something is pushed.
    from gimlet_tui.gitops.upstream import ready_to_push

    ready = ready_to_push(repo, access_of(args), TransferLine(), dry_run=args.dry_run)
    if ready.note:
        emit(f"note: {safe(ready.note)}", sys.stderr)
    return ready.planned_on, destination, ready.note is not None and not args.dry_run


def _show_plan(args: argparse.Namespace, plan: RollbackPlan, landing: list[str]) -> None:
    """The plan as text (the patch with --diff): on stdout, or on stderr when stdout is for JSON or YAML."""
    stream = sys.stdout if args.output == "text" else sys.stderr
    style = Style(stream, args.color)
    emit(plan_text(plan, style, previous=getattr(args, "previous", False)), stream)
    if args.diff and plan.diff:
        emit(patch_text(plan.diff, style, stream.isatty()), stream)
    for line in landing:
        emit(line, stream)


def _after(args: argparse.Namespace, repo: GitopsRepo, destination: str | None, reconcile: str | None) -> None:
    """Where it landed: the Flux command after a push, the NOT PUSHED line when kept local in a tracking clone."""
    if destination is not None:
        if args.output == "text":
            emit(f"Pushed to {safe(destination)}. Flux applies it at its next sync; at once with:")
            emit(reconcile or "")
        return
    # Imported here for start-up time, as above.
    from gimlet_tui.gitops.upstream import not_pushed

    line = not_pushed(repo)
    if line is not None:
        emit(Style(sys.stderr, args.color)(line, "1;31"), sys.stderr)


def land(args: argparse.Namespace, planner: Planner, verb: str) -> int:
    """Plan with `planner`, show it, ask, carry it out and say where it landed; `verb` is "Roll back" or "Redeploy"."""
    reason = check_reason(args.reason)  # a bad reason is refused before anything is read
    source, repo = env_repo(args, fetch_now=True)  # a remote one is planned on the server's tip
    if source.read_only:
        noun = "redeploy" if verb == "Redeploy" else "rollback"
        raise RollbackRefused(f"{source.name} is read-only in the workspace file: {noun} is off there")
    who = parse_identity(args.author) if args.author else configured_identity(repo)
    planned_on, destination, caught_up = _prepare(args, repo)
    plan = planner(planned_on)
    # Imported here for start-up time: Flux files are read only when something will be pushed.
    from gimlet_tui.gitops.flux import reconcile_command

    reconcile = reconcile_command(planned_on, plan.env, plan.app) if destination else None
    landing = _landing_lines(destination, reconcile, args)
    previous, name = getattr(args, "previous", False), repo.info().name
    if args.dry_run:
        if args.output != "text":
            emit(
                dump(
                    {**plan_object(plan, previous, reason, name), "pushTo": destination, "reconcile": reconcile},
                    args.output,
                )
            )
            return 0
        _show_plan(args, plan, landing)
        emit("Dry run: nothing was changed.")
        return 0
    if args.output == "text" or not args.yes:
        _show_plan(args, plan, landing)
    if not _confirmed(args, source, verb):
        done = "Not redeployed" if plan.redeploy else "Not rolled back"
        more = " but the fast-forward above" if caught_up else ""
        emit(f"{done}: nothing was changed{more}.", sys.stderr)
        return 1
    result = apply_rollback(repo, plan, who, push_upstream=args.push, access=access_of(args), reason=reason)
    if args.output == "text":
        emit(result_text(result, Style(sys.stdout, args.color)))
    else:
        outcome = result_object(result, previous, reason, destination is not None, name)
        emit(dump({**outcome, "pushTo": destination, "reconcile": reconcile}, args.output))
    _after(args, repo, destination, reconcile)
    return 0
