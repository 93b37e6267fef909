"""gimlet-tui: see what was released and roll it back, from a terminal, in a Gimlet GitOps repository."""

__version__ = "0.1.0"
