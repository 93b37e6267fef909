"""Rolling back (and forward) from the main screen: plan in a thread, confirm in the modal, apply, report.

`r` rolls back to the highlighted release, `F` redeploys it (roll forward, ROLLED BACK ones too), and
right after a rollback `u` undoes it: a redeploy of what was CURRENT before. Each is planned where it
will land (fetched first when it will be pushed) and confirmed in the same modal.
"""

from __future__ import annotations

from functools import partial

from gimlet_tui.gitops import RollbackPlan
from gimlet_tui.text import safe
from gimlet_tui.tui import workers
from gimlet_tui.tui.keys import MAIN, shown_keys
from gimlet_tui.tui.messages import RollbackFinished, RollbackPlanned
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.main_state import MainState
from gimlet_tui.workspace import EnvSource

HOLD_FOR_ROLLBACK = 0.15  # seconds after y the screen waits at most to paint with the rollback's answer


class RollbackFlow(MainState):
    """`r`, `F` and `u`: the plan, the confirmation (which takes only keys typed after it showed), the result."""

    def _plan(self, action: str, sha: str, short: str, refusal: str | None) -> None:
        source = self.source()
        if refusal is not None or source is None or self.app_name is None:
            # the button can be pressed in between refreshes
            self.notify(refusal or "Nothing to do here.", title="Not now", severity="warning", markup=False)
            return
        words = "the redeploy of" if action == "redeploy" else "the rollback to"
        self.busy = f"Planning {words} {short}…"
        self.work("rollback", workers.plan, source, self.options.access, self.app_name, sha, self.push, action)

    def action_rollback(self) -> None:
        entry = self.highlighted()
        self._plan("rollback", entry.sha if entry else "", entry.short if entry else "", self.rollback_refusal())

    def action_redeploy(self) -> None:
        entry = self.highlighted()
        self._plan("redeploy", entry.sha if entry else "", entry.short if entry else "", self.redeploy_refusal())

    def action_undo_rollback(self) -> None:
        sha = self.undoable[2] if self.undoable else ""
        self._plan("redeploy", sha, sha[:10], self.undo_refusal())

    def on_rollback_planned(self, message: RollbackPlanned) -> None:
        self.busy = None
        plan = message.plan
        source = self.workspace.source(plan.env)
        protected = source is not None and source.protected
        confirm = ConfirmRollback(plan, self.clock(), protected, message.destination, message.note)
        # y: the modal goes in the frame that shows the new states (or after HOLD_FOR_ROLLBACK)
        confirm.on_confirm = partial(self.hold.begin, "rollback", HOLD_FOR_ROLLBACK)
        self.app.clear_notifications()  # an earlier toast would cover the plan's buttons; the plan is what to read now
        self.app.push_screen(confirm, partial(self._decided, plan, message.note is not None))

    def _decided(self, plan: RollbackPlan, caught_up: bool, confirmed: bool | None) -> None:
        source = self.workspace.source(plan.env)
        what = "Redeploy" if plan.redeploy else "Rollback"
        if not confirmed or source is None:
            more = " but the fast-forward to the upstream" if caught_up else ""
            self.notify(f"{what} cancelled: nothing was changed{more}.")
            if caught_up:
                self.reload()  # the branch moved: the header and the timeline show where it is now
            return
        where = f"{safe(plan.env)}/{safe(plan.app)}"
        if plan.redeploy:
            self.busy = f"Redeploying {plan.target.short} to {where}…"
        else:
            self.busy = f"Rolling back {where} to {plan.target.short}: {len(plan.reverts)} revert commit(s)…"
        self.work("rollback", workers.apply, source, self.options.access, plan, self.options.identity, self.push)

    def on_rollback_finished(self, message: RollbackFinished) -> None:
        self.busy = None
        entries, source = self.loaded.after(result := message.result), self.source()
        if entries is None or source is None:
            self.reload()  # the history shown is not the one rolled back: read it again
        else:
            self.generation += 1  # the engine's answer updates the timeline at once; older batches are dropped
            self.panel.restate(entries)
            self.selected = self.panel.timeline.selected
            # The app list's "last changed" again, once the timeline is painted (its walk would hold the
            # GIL while the screen renders the new states).
            self.call_after_refresh(self.reload_apps_of, source)
        plan = result.plan
        before = plan.current
        self.undoable = (plan.env, plan.app, before.sha) if not plan.redeploy and before is not None else None
        self.hold.end("rollback")  # the frame held since y: the modal gone, the new states shown
        self.call_after_refresh(self._report, message)  # the toasts after the timeline is painted

    def reload_apps_of(self, source: EnvSource) -> None:
        """The app list of `source` read again, if it is still the env on screen (another env's list
        may be loading: the "apps" group is exclusive, and starting this one would cancel that)."""
        if self.source() == source:
            self.work("apps", workers.load_apps, source, self.options.access, None)

    def _report(self, message: RollbackFinished) -> None:
        result = message.result
        plan = result.plan
        branch = safe(plan.ref.removeprefix("refs/heads/"))
        where = f"{safe(plan.env)}/{safe(plan.app)}"
        if plan.redeploy:
            text, title = (
                f"{where} is as {plan.target.short} made it again; {branch} is now at {result.new_head[:10]}.",
                "Redeployed",
            )
        else:
            text = f"{where} is back at {plan.target.short}: {len(result.commits)} revert commit(s); {branch} is now at {result.new_head[:10]}."
            title = "Rolled back"
        if message.destination:
            text += f"\nPushed to {safe(message.destination)}. To apply it at once: {message.reconcile}"
        if self.undoable is not None:
            keys = shown_keys(next(c for c in MAIN if c.id == "undo"), self.options.keymap)
            text += f"\n{keys} undoes it (redeploys {self.undoable[2][:10]})."
        self.notify(text, title=title, timeout=15, markup=False)
        if message.not_pushed:
            self.notify(safe(message.not_pushed), title="Not pushed", severity="warning", timeout=30, markup=False)

    def action_toggle_push(self) -> None:
        self.push = not self.push
        where = "pushed to the branch's upstream first" if self.push else "kept in the clone, not pushed"
        self.notify(f"Rollbacks in clones with an upstream are now {where}.")
