"""The shape of the code, checked from its source: import rules, no import loops, small modules.

The import graph is built from the AST of every module of `gimlet_tui`, imports inside functions
included, so a loop hidden by a late import is still a loop.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gimlet_tui"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(path: Path) -> Iterator[tuple[ast.stmt, str, bool]]:
    """(statement, imported module, inside a function) for every import of the file."""
    tree = ast.parse(path.read_text())
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(child) for child in ast.walk(node) if child is not node)
    known = modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, id(node) in inside
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield node, submodule if submodule in known else node.module, id(node) in inside


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {target for _, target, _ in imports(path) if target in known} for name, path in known.items()}


def test_no_import_loops_anywhere_counting_imports_inside_functions():
    edges = graph()
    loops = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                loops.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert loops == []


def test_imports_inside_functions_say_why():
    """A late import is there only for start-up time, and the line above it says so."""
    for name, path in modules().items():
        lines = path.read_text().splitlines()
        for node, target, inside in imports(path):
            if not inside or target.startswith("__future__"):
                continue
            above = node.lineno - 2  # the line above, 0-based
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1  # a group of late imports shares one comment
            comment = lines[above] if above >= 0 else ""
            assert "start-up" in comment, f"{name}:{node.lineno} imports {target} late without saying why"


@pytest.mark.parametrize(
    ("where", "forbidden"),
    [
        (
            "gimlet_tui.gitops",
            ("textual", "rich", "gimlet_tui.tui", "gimlet_tui.cli", "gimlet_tui.workspace", "gimlet_tui.demo"),
        ),
        ("gimlet_tui.workspace", ("textual", "rich", "gimlet_tui.tui", "gimlet_tui.cli")),
        ("gimlet_tui.tui", ("gimlet_tui.cli",)),
        ("gimlet_tui.demo", ("textual", "rich", "gimlet_tui.tui", "gimlet_tui.cli")),
        # The server runs the app as processes: it never loads the TUI or the CLI itself.
        ("gimlet_tui.serve", ("textual.", "gimlet_tui.tui", "gimlet_tui.cli", "gimlet_tui.workspace")),
    ],
)
def test_arrows_run_from_the_faces_to_the_core(where, forbidden):
    for name, path in modules().items():
        if name == where or name.startswith(where + "."):
            for _, target, _ in imports(path):
                assert not target.startswith(forbidden), f"{name} imports {target}"


def test_only_the_core_touches_pygit2():
    for name, path in modules().items():
        if not name.startswith("gimlet_tui.gitops"):
            assert all(not t.startswith("pygit2") for _, t, _ in imports(path)), f"{name} imports pygit2"


def test_core_never_prints():
    for path in (PACKAGE / "gitops").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{path.name} prints"


def test_modules_and_functions_are_small():
    for name, path in modules().items():
        source = path.read_text()
        assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{name} has more than {MAX_MODULE_LINES} lines"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name} has {length} lines"


def test_the_loop_finder_finds_a_loop(tmp_path, monkeypatch):
    """The check above can fail: a package with a late-import loop is caught."""
    package = tmp_path / "gimlet_tui"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from gimlet_tui.b import x\n")
    (package / "b.py").write_text("def f():\n    from gimlet_tui.a import y\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    with pytest.raises(AssertionError):
        test_no_import_loops_anywhere_counting_imports_inside_functions()


def test_the_cli_loads_the_web_server_only_to_serve():
    code = "import sys, gimlet_tui.cli.commands; print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'textual_serve', 'jinja2')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_core_and_cli_do_not_load_textual():
    code = "import sys, gimlet_tui.gitops, gimlet_tui.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
