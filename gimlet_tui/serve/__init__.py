"""`gimlet-tui serve`: the TUI in web browsers through textual-serve, one app process per tab.

`launch` turns the command line into what each tab runs (standard library only, so the CLI can
check everything before aiohttp loads); `server` serves it, `access` checks the token, `sessions`
starts and ends each tab's app process.
"""
