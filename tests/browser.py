"""A real Chromium (Debian's chromium + chromium-driver) driven by selenium, for the served dashboard.

The app is drawn by xterm.js on a canvas, so its text is not in the page: a test looks at pixels
(screenshots compared in the page's own canvas), sends key presses to the terminal, and asks git
what happened.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains

CHROMEDRIVER = "/usr/bin/chromedriver"
# Headless, software GL, and nothing that phones home: these machines have no network but loopback.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--use-gl=swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if shutil.which("chromium") is None or not Path(CHROMEDRIVER).exists():
        return "Debian's chromium and chromium-driver are not installed (scripts/test-servers.sh installs them as root)"
    return None


def start_chromium(width: int = 1280, height: int = 800, profile: str | None = None):
    """A new headless Chromium with a fresh profile, its window `width` x `height`."""
    options = webdriver.ChromeOptions()
    for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='chromium-')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(width, height)
    return driver


# Decodes a PNG in the page's own canvas: how many colours, and how much of it one colour covers;
# or, given two, the share of pixels that differ.
_PIXELS = """
const [first, second, done] = arguments;
const load = (b64) => new Promise((ok, fail) => {
  const image = new Image(); image.onload = () => ok(image); image.onerror = fail;
  image.src = "data:image/png;base64," + b64;
});
const pixels = (image) => {
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, image.width, image.height).data;
};
(async () => {
  const a = pixels(await load(first));
  if (second === null) {
    const counts = new Map();
    for (let i = 0; i < a.length; i += 4) {
      const key = (a[i] << 16) | (a[i + 1] << 8) | a[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    done([counts.size, Math.max(...counts.values()) / (a.length / 4)]);
  } else {
    const b = pixels(await load(second));
    let differ = 0;
    for (let i = 0; i < a.length; i += 4) {
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differ++;
    }
    done(differ / (a.length / 4));
  }
})().catch((error) => done(String(error)));
"""


def colours(driver, png_b64: str) -> tuple[int, float]:
    """(distinct colours, share of the most common one) of a screenshot."""
    count, top = driver.execute_async_script(_PIXELS, png_b64, None)
    return count, top


def changed(driver, before: str, after: str) -> float:
    """The share of pixels that differ between two screenshots of the same size."""
    share = driver.execute_async_script(_PIXELS, before, after)
    assert isinstance(share, float | int), share
    return float(share)


def settled(driver, seconds: float = 30, quiet: float = 0.6) -> str:
    """A screenshot once the page has stopped changing for `quiet` seconds."""
    deadline = time.monotonic() + seconds
    last = driver.get_screenshot_as_base64()
    still_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = driver.get_screenshot_as_base64()
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return now
    return last


def until_changed(driver, before: str, share: float, seconds: float = 60) -> str:
    """A settled screenshot once at least `share` of the pixels differ from `before`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = settled(driver, seconds=10)
        if changed(driver, before, now) >= share:
            return now
        time.sleep(0.2)
    raise AssertionError(f"the page never changed by {share:.0%}")


def press(driver, *keys: str) -> None:
    """Key presses, typed into whatever has the focus (the page gives it to the terminal)."""
    chain = ActionChains(driver)
    for key in keys:
        chain.send_keys(key).pause(0.1)
    chain.perform()


def save_png(png_b64: str, path: Path) -> None:
    path.write_bytes(base64.b64decode(png_b64))
