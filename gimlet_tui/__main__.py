"""`python -m gimlet_tui` runs the command line."""

from gimlet_tui.cli import main

raise SystemExit(main())
