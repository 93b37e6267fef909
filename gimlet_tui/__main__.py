"""`python -m gimlet_tui` runs the command line."""

from gimlet_tui.cli import process_main

raise SystemExit(process_main())
