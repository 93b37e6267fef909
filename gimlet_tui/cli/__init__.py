"""The command line face: `release list`, `release rollback`, `env list`, `app list`, `config check`, `demo`, the TUI."""

from gimlet_tui.cli.main import main, process_main

__all__ = ["main", "process_main"]
