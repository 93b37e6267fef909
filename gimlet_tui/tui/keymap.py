"""The workspace file's `keymap:` checked against the key table, with the file and line of every problem.

A keymap names binding ids (the key table's `Command.id`) and the keys each takes instead of its own:

    keymap:
      rollback: ctrl+r
      nav.down: "j,down,ctrl+n"

An unknown id is an error naming the known ones; a key name Textual would never send is an error; so is
a key that two commands would share where one key press reaches both (the chains in `keys.CHAINS`):
Textual would run the first silently.
"""

from __future__ import annotations

import difflib

from gimlet_tui.tui.keys import ALL, CHAINS, keys_in_force
from gimlet_tui.workspace import ConfigError, KeymapEntry, Workspace

MODIFIERS = {"ctrl", "alt", "shift", "super", "meta", "hyper"}
SPECIAL = {  # key names Textual sends that are not single characters
    "backspace", "delete", "down", "end", "enter", "escape", "home", "insert", "left", "pagedown",
    "pageup", "right", "space", "tab", "up",
    *(f"f{n}" for n in range(1, 25)),
}  # fmt: skip


def key_name(key: str) -> str | None:
    """Textual's name for `key` ("?" is "question_mark"), or None when no key press is ever called that."""
    # Imported here for start-up time: `config check` loads this module, and only keys need Textual's table.
    from textual.keys import KEY_TO_UNICODE_NAME, REPLACED_KEYS, _character_to_key

    if len(key) == 1:
        return _character_to_key(key) if key.isprintable() and not key.isspace() else None
    *modifiers, base = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or not base:
        return None
    if len(base) == 1 or base in SPECIAL or base in KEY_TO_UNICODE_NAME or base in REPLACED_KEYS:
        return key
    return None


def _problem(workspace: Workspace, entry: KeymapEntry | None, message: str) -> ConfigError:
    line = f":{entry.line}" if entry is not None else ""
    return ConfigError(f"{workspace.config}{line}: {message}")


def checked_keymap(workspace: Workspace) -> dict[str, str]:
    """The workspace file's keymap as Textual takes it (id -> comma-separated key names), or `ConfigError`."""
    known = {command.id for command in ALL if command.keys}
    keymap: dict[str, str] = {}
    where: dict[str, KeymapEntry] = {}
    for entry in workspace.keymap:
        if entry.binding not in known:
            close = difflib.get_close_matches(entry.binding, sorted(known), n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            raise _problem(
                workspace,
                entry,
                f"unknown binding id {entry.binding!r} in keymap{hint}; known: {', '.join(sorted(known))}",
            )
        names = []
        for key in (k.strip() for k in entry.keys.split(",")):
            name = key_name(key)
            if name is None:
                raise _problem(
                    workspace, entry, f"{key!r} is not a key name (e.g. r, R, ?, ctrl+r, f5, pagedown, escape)"
                )
            names.append(name)
        keymap[entry.binding] = ",".join(names)
        where[entry.binding] = entry
    _check_clashes(workspace, keymap, where)
    return keymap


def _check_clashes(workspace: Workspace, keymap: dict[str, str], where: dict[str, KeymapEntry]) -> None:
    for chain, commands in CHAINS.items():
        taken: dict[str, str] = {}
        for command in commands:
            for key in keys_in_force(command, keymap):
                other = taken.setdefault(key, command.id)
                if other != command.id:
                    entry = where.get(command.id) or where.get(other)
                    raise _problem(
                        workspace, entry, f"keymap puts {key!r} on both {other!r} and {command.id!r} (in {chain})"
                    )
