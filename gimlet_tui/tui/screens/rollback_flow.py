"""Rolling back from the main screen: plan in a thread, confirm in the modal, apply, report, reload."""

from __future__ import annotations

from functools import partial

from gimlet_tui.gitops import RollbackPlan
from gimlet_tui.text import safe
from gimlet_tui.tui import workers
from gimlet_tui.tui.messages import RollbackFinished, RollbackPlanned
from gimlet_tui.tui.screens.confirm import ConfirmRollback
from gimlet_tui.tui.screens.main_state import MainState


class RollbackFlow(MainState):
    """`r` on a release: the plan, the confirmation (which takes only keys typed after it showed), the result."""

    def action_rollback(self) -> None:
        entry = self.highlighted()
        source = self.source()
        reason = self.rollback_refusal()
        if reason is not None or entry is None or source is None or self.app_name is None:
            # the button can be pressed in between refreshes
            self.notify(reason or "Nothing to roll back here.", title="Not now", severity="warning", markup=False)
            return
        self.busy = f"Planning the rollback to {entry.short}…"
        self.work("rollback", workers.plan, source, self.options.access, self.app_name, entry.sha, self.push)

    def on_rollback_planned(self, message: RollbackPlanned) -> None:
        self.busy = None
        plan = message.plan
        source = self.workspace.source(plan.env)
        protected = source is not None and source.protected
        confirm = ConfirmRollback(plan, self.clock(), protected, message.pushes)
        self.app.push_screen(confirm, partial(self._decided, plan))

    def _decided(self, plan: RollbackPlan, confirmed: bool | None) -> None:
        source = self.workspace.source(plan.env)
        if not confirmed or source is None:
            self.notify("Rollback cancelled: nothing was changed.")
            return
        self.busy = f"Rolling back {safe(plan.env)}/{safe(plan.app)} to {plan.target.short}: {len(plan.reverts)} revert commit(s)…"
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
            self.work("apps", workers.load_apps, source, self.options.access, None)
        branch = safe(result.plan.ref.removeprefix("refs/heads/"))
        self.call_after_refresh(  # the toast after the timeline is painted
            self.notify,
            f"{safe(result.plan.env)}/{safe(result.plan.app)} is back at {result.plan.target.short}: "
            f"{len(result.commits)} revert commit(s); {branch} is now at {result.new_head[:10]}.",
            title="Rolled back",
            timeout=10,
            markup=False,
        )

    def action_toggle_push(self) -> None:
        self.push = not self.push
        where = "pushed to the branch's upstream first" if self.push else "made locally, not pushed"
        self.notify(f"Rollbacks in local clones are now {where}.")
