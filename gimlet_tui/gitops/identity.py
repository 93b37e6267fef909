"""Who a rollback is made by: `--author`, else the repository's git config, else gimlet-tui itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pygit2

from gimlet_tui.gitops.errors import BadInput
from gimlet_tui.gitops.repository import GitopsRepo

_NAME_EMAIL = re.compile(r"\s*([^<>\x00-\x1f]+?)\s*<([^<>\s\x00-\x1f]+)>\s*")


@dataclass(frozen=True)
class Identity:
    """A commit author: name and email."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


FALLBACK = Identity("gimlet-tui", "gimlet-tui@localhost")


def parse_identity(text: str) -> Identity:
    """Read "Name <email>"; raise a one-line error otherwise."""
    match = _NAME_EMAIL.fullmatch(text)
    if not match:
        raise BadInput(f'bad author {text!r}: write it as "Name <email>"')
    return Identity(match.group(1), match.group(2))


def configured_identity(repo: GitopsRepo) -> Identity:
    """user.name and user.email from the repository's git config, or the fallback when they are not set."""
    try:
        signature = repo.git.default_signature
    except (KeyError, pygit2.GitError):
        return FALLBACK
    return Identity(signature.name, signature.email)
