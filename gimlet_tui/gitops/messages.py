"""The messages of the commits we write, readable by git, Gimlet and people alike.

A revert keeps git's own message ("Revert ...", "This reverts commit <full sha>.") so that every tool
recognises it; a redeploy is a plain commit that says what it brings back. Trailers name the target,
who made it and why. The only full sha ever written is the one a revert reverts: Gimlet marks a
release ROLLED BACK when any later commit on the app's path holds its full sha anywhere, so every
other sha, the user's reason included, is cut to 12 digits.
"""

from __future__ import annotations

import re
import unicodedata

from gimlet_tui.gitops.errors import BadInput
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.model import RollbackPlan
from gimlet_tui.text import one_line

MAX_REASON = 500
SHORT = 12  # hex digits of a sha in a trailer: Gimlet reads a full sha anywhere in a message as a rollback of it
_FULL_SHA = re.compile(rf"\b([0-9a-f]{{{SHORT}}})[0-9a-f]{{{40 - SHORT}}}\b")


def abbreviated(text: str) -> str:
    """`text` with every full sha cut to 12 digits, so that Gimlet reads no rollback into it."""
    return _FULL_SHA.sub(r"\1", text)


def check_reason(text: str | None) -> str | None:
    """The reason for a rollback as its trailer will hold it: one line of printable text, or None when empty."""
    if text is None or not text.strip():
        return None
    reason = text.strip()
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in reason):
        raise BadInput("bad reason: write it on one line, without control characters")
    if len(reason) > MAX_REASON:
        raise BadInput(f"bad reason: at most {MAX_REASON} characters (this one has {len(reason)})")
    return reason


def revert_message(subject: str, reverted: str, target: str, who: Identity, reason: str | None = None) -> str:
    """git's revert message, with trailers naming the rollback's target, who made it and why.

    The only full sha is the reverted one, in git's own line: Gimlet marks a release ROLLED BACK when
    a later commit on the app's path holds its full sha anywhere, so the target (and any sha in the
    reason) is abbreviated.
    """
    trailers = f"Rollback-To: {target[:SHORT]}\nRollback-By: {who}\n"
    checked = check_reason(reason)
    if checked is not None:
        trailers += f"Rollback-Reason: {abbreviated(checked)}\n"
    return f'Revert "{subject}"\n\nThis reverts commit {reverted}.\n\n{trailers}'


def redeploy_message(plan: RollbackPlan, who: Identity, reason: str | None = None) -> str:
    """The message of a redeploy: what it brings back, from which release, who made it and why."""
    target = plan.target
    version = target.release.version if target.release else None
    about = one_line(version.message) if version and version.message else one_line(target.subject)
    deployed = f" ({version.sha[:8]})" if version and version.sha else ""
    where = f"{plan.env}/{plan.app}"
    body = abbreviated(f'Brings {where} back to release {target.sha[:SHORT]}: "{about}"{deployed}.')
    trailers = f"Redeploy-Of: {target.sha[:SHORT]}\nRedeploy-By: {who}\n"
    checked = check_reason(reason)
    if checked is not None:
        trailers += f"Redeploy-Reason: {abbreviated(checked)}\n"
    return f"Redeploy {where} to {target.sha[:SHORT]}\n\n{body}\n\n{trailers}"
