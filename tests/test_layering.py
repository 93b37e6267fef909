"""The core knows no screen: importing it (or the CLI) never loads Textual; the core never prints."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gimlet_tui"


def test_core_and_cli_do_not_load_textual():
    code = "import sys, gimlet_tui.gitops, gimlet_tui.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_core_neither_prints_nor_imports_the_faces():
    for path in (PACKAGE / "gitops").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{path.name} prints"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    assert not name.startswith(("textual", "rich", "gimlet_tui.tui", "gimlet_tui.cli")), f"{path.name} imports {name}"
