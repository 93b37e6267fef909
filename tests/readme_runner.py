"""The README's examples: its `console` blocks, run in order in one shell, and what each command printed.

Used by tests/test_readme.py; `python tests/readme_runner.py CHECKOUT` prints what the README's
console blocks print today (to refresh the README after an intended change of output).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass
class Example:
    """One `$ command` of a console block and the output the README shows under it."""

    command: str
    shown: str
    block: int


def blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block of the text: (language, body)."""
    return [(m.group("lang"), m.group("body")) for m in FENCE.finditer(text)]


def examples(text: str) -> list[Example]:
    """The commands of the console blocks, in order, each with the output shown under it."""
    found: list[Example] = []
    for number, (lang, body) in enumerate(blocks(text)):
        if lang != "console":
            continue
        lines = body.rstrip("\n").split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            if not line.startswith("$ "):
                raise ValueError(f"console block {number}: output before any command: {line!r}")
            command = line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + "\n" + lines[index]
            index += 1
            shown = []
            while index < len(lines) and not lines[index].startswith("$ "):
                shown.append(lines[index])
                index += 1
            found.append(Example(command, "\n".join(shown), number))
    return found


def run_examples(
    found: list[Example], checkout: Path, env: dict[str, str], timeout: float = 600
) -> list[tuple[str, int]]:
    """Run the commands in order in one bash in `checkout`; (output with stderr, status) of each."""
    script = []
    for number, example in enumerate(found):
        script.append(f"printf '\\n@@start {number}@@\\n'")
        script.append(f"{{ {example.command}\n}} 2>&1")
        script.append(f"printf '\\n@@status {number} %s@@\\n' \"$?\"")
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-o", "pipefail", "-c", "\n".join(script)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    outputs = []
    for number in range(len(found)):
        match = re.search(rf"\n@@start {number}@@\n(.*?)\n?\n@@status {number} (\d+)@@\n", result.stdout, re.DOTALL)
        if match is None:
            raise AssertionError(f"command {number} did not finish: {result.stdout[-2000:]}{result.stderr}")
        outputs.append((match.group(1), int(match.group(2))))
    return outputs


AGO = r"(just now|an? (second|minute|hour|day|week|month|year) ago|\d+ (seconds|minutes|hours|days|weeks|months|years) ago)"


def normal(text: str) -> str:
    """What does not change from one demo repository to the next: gitops shas, times and ages made alike."""
    text = re.sub(r"\b[0-9a-f]{40}\b", "<sha>", text)
    text = re.sub(r"\b[0-9a-f]{10}\b", "<sha>", text)
    text = re.sub(r"\b[0-9a-f]{12}\b", "<sha>", text)  # in the subject of a redeploy commit
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", "<time>", text)
    text = re.sub(r"\b1[6-9]\d{8}\b", "<unix time>", text)
    text = re.sub(AGO, "<ago>", text)
    return "\n".join(" ".join(line.split()) for line in text.strip("\n").split("\n"))


if __name__ == "__main__":
    import os

    checkout = Path(sys.argv[1])
    for example, (output, status) in zip(
        examples(README.read_text()),
        run_examples(examples(README.read_text()), checkout, dict(os.environ)),
        strict=True,
    ):
        print(f"$ {example.command}\n{output}" + (f"\n[exit {status}]" if status else ""))
