"""The modal for a question from git or ssh: a passphrase, a password, a user name, an unknown host key.

The question is shown in git's or ssh's own words (escaped: a server chooses part of them); the
answer is typed into a field, hidden for secrets. Enter answers, escape cancels (git or ssh then
fails as if the user had said no). Nothing is written to the terminal behind the app.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Static

from gimlet_tui.gitops.askpass import Question
from gimlet_tui.text import safe
from gimlet_tui.tui.keys import PROMPT, bindings
from gimlet_tui.tui.screens.gate import GatedModal
from gimlet_tui.tui.styled import span


class GitPrompt(GatedModal["str | None"]):
    """Answers one question; dismissed with the text typed, or None when cancelled.

    Keys typed before it showed (a `j` meant for the timeline) never land in the answer (`GatedModal`).
    """

    DEFAULT_CSS = """
    GitPrompt {
        align: center middle;
    }
    #prompt-dialog {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    #prompt-question {
        height: auto;
        max-height: 12;
    }
    #prompt-buttons {
        height: 3;
        align: center middle;
    }
    #prompt-buttons Button {
        margin: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(PROMPT)

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog") as dialog:
            dialog.border_title = self.question.title
            with VerticalScroll(id="prompt-question"):
                lines = self.question.prompt.rstrip().splitlines()
                yield Static(span("\n".join(safe(line) for line in lines)))
            if "yes/no" in self.question.prompt:
                yield Static(span("Type yes to trust this host and record its key, or its fingerprint.", "bold"))
            yield Input(password=self.question.secret, id="prompt-answer")
            with Horizontal(id="prompt-buttons"):
                yield Button("Cancel", id="prompt-cancel", variant="default")
                yield Button("Answer", id="prompt-ok", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        # Not AUTO_FOCUS: Textual skips it while the terminal is in the background (a slow fetch, another
        # window), and the answer typed on coming back would go nowhere. Nothing to focus when the app
        # quit as the question came (the screen was never composed).
        for answer in self.query("#prompt-answer"):
            self.set_focus(answer)

    @on(Input.Submitted, "#prompt-answer")
    @on(Button.Pressed, "#prompt-ok")
    def action_answer(self) -> None:
        self.dismiss(self.query_one("#prompt-answer", Input).value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
