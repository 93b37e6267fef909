"""The demo repository, and the writer of Gimlet-shaped commits it (and the tests) are made with."""

from gimlet_tui.demo.story import default_demo_path, write_demo

__all__ = ["default_demo_path", "write_demo"]
