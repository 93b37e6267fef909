"""Serve the demo repository with `gimlet-tui serve` and photograph it in headless Chromium (make screenshots).

Writes screenshots/browser-1280x800.png: the app as a browser shows it in a 1280x800 window.
Needs Debian's chromium and chromium-driver (scripts/test-servers.sh installs them).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the served-dashboard and browser helpers of the tests

from browser import missing, save_png, settled, start_chromium  # noqa: E402
from gimlet_tui.demo import write_demo  # noqa: E402
from served import serving  # noqa: E402


def main() -> int:
    if (reason := missing()) is not None:
        print(f"no browser screenshot: {reason}", file=sys.stderr)
        return 1
    out = ROOT / "screenshots" / "browser-1280x800.png"
    with tempfile.TemporaryDirectory() as folder:
        repo = write_demo(os.path.join(folder, "acme-gitops"))  # now: the times read "just now", "2 hours ago"
        env = {**os.environ, "XDG_STATE_HOME": folder, "XDG_CACHE_HOME": folder}  # not the user's own
        with serving(["--repo", repo, "--port", "0", "--env", "staging", "--app", "api"], env=env) as served:
            driver = start_chromium(1280, 800)
            try:
                driver.get(served.url)
                deadline = time.monotonic() + 60
                while "-first-byte" not in driver.execute_script("return document.body.className"):
                    if time.monotonic() > deadline:
                        raise SystemExit("the app never drew")
                    time.sleep(0.2)
                save_png(settled(driver, quiet=1.5), out)
            finally:
                driver.quit()
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
