"""The rollback flow of the main screen: plan, confirm in the modal, execute, report.

`r` plans in a worker; the plan opens the confirmation; only "yes" starts the worker that writes.
Where rolling back is not possible, `r` says why instead of doing nothing.
"""

from __future__ import annotations

from gimlet_tui.text import safe
from gimlet_tui.tui.messages import RollbackFinished, RollbackPlanned
from gimlet_tui.tui.render import rollback_blocker
from gimlet_tui.tui.screens.confirm import ConfirmRollback


class RollbackFlow:
    """Mixed into the main screen, which provides the selection, the workers and the status line."""

    def on_rollback_planned(self, message: RollbackPlanned) -> None:
        self._set_busy(None)

        def decided(confirmed: bool | None) -> None:
            if confirmed:
                plan = message.plan
                self._set_busy(f"Rolling back {safe(plan.env)}/{safe(plan.app)} to {plan.target.short}: {len(plan.reverts)} revert commit(s)…")
                self.execute(plan)
            else:
                self.notify("Rollback cancelled: nothing was changed.")

        source = self.app.source(message.plan.env)
        protected = source is not None and source.protected
        pushed = source is not None and (source.remote or self.app.push)
        self.app.push_screen(ConfirmRollback(message.plan, self.app.clock(), protected, pushed), decided)

    def on_rollback_finished(self, message: RollbackFinished) -> None:
        self._set_busy(None)
        result = message.result
        branch = safe(result.plan.ref.removeprefix("refs/heads/"))
        self.notify(
            f"{safe(result.plan.env)}/{safe(result.plan.app)} is back at {result.plan.target.short}: "
            f"{len(result.commits)} revert commit(s); {branch} is now at {result.new_head[:10]}.",
            title="Rolled back",
            timeout=10,
            markup=False,
        )
        self.action_reload()

    def action_explain_rollback(self) -> None:
        if self.busy:
            self.notify("A rollback is already under way.", severity="warning")
            return
        entry = self.selected
        where = f"{entry.short}: " if entry else ""
        self.notify(f"{where}{rollback_blocker(entry)}", title="Can't roll back to this one", severity="warning", markup=False)

    def action_rollback(self) -> None:
        entry = self.selected
        if self.app.rollback_off(self.env) or self.busy or entry is None or rollback_blocker(entry) is not None:
            self.action_explain_rollback()  # the button can be pressed in between refreshes
            return
        self._set_busy(f"Planning the rollback to {entry.short}…")
        self.plan(self.env, self.app_name, entry.sha)

    def action_toggle_push(self) -> None:
        self.app.push = not self.app.push
        where = "pushed to the branch's upstream first" if self.app.push else "made locally, not pushed"
        self.notify(f"Rollbacks in local clones are now {where}.")
