"""Debian's Chromium, headless, driven by Selenium through Debian's chromedriver.

The project's test command installs both packages (``make browser``); a test tool's own
browser download does not work here. Selenium's calls block, so each runs in a thread while
the web view keeps serving on the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
T = TypeVar("T")

#: Elements whose box must hold their content and sit inside their parent's box.
_LAYOUT_CHECK = """
const problems = [];
const doc = document.documentElement;
if (doc.scrollWidth > window.innerWidth + 1) {
  problems.push(`page ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
}
const describe = (el) => {
  const text = (el.textContent || '').trim().slice(0, 40);
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className : '';
  return `${el.tagName.toLowerCase()}${cls} "${text}"`;
};
for (const el of document.body.querySelectorAll('*')) {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') continue;
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
  if (!(el instanceof SVGElement) && style.display !== 'inline' && !scrolls
      && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`${describe(el)}: content ${el.scrollWidth}px in a ${el.clientWidth}px box`);
  }
  const parent = el.parentElement;
  if (!parent || parent === document.body || parent === doc) continue;
  const outer = parent.getBoundingClientRect();
  if (box.left < outer.left - 1 || box.right > outer.right + 1) {
    problems.push(`${describe(el)}: ${Math.round(box.left)}-${Math.round(box.right)} outside `
      + `its parent ${Math.round(outer.left)}-${Math.round(outer.right)}`);
  }
}
return problems;
"""

#: WCAG 2.1 AA contrast of every piece of text against the background it is drawn on (4.5:1,
#: 3:1 for large text); SVG text by its fill against the page behind the chart.
_CONTRAST_CHECK = """
const parse = (c) => {
  const m = c && c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(',').map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const hex = (h) => ({r: parseInt(h.slice(1, 3), 16), g: parseInt(h.slice(3, 5), 16),
                     b: parseInt(h.slice(5, 7), 16), a: 1});
const lum = (c) => {
  const f = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const ratio = (a, b) => {
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const behind = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.99) return c;
  }
  return {r: 255, g: 255, b: 255, a: 1};
};
const problems = [];
for (const el of document.body.querySelectorAll('*')) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') continue;
  const svg = el instanceof SVGElement;
  const ink = svg ? hex(el.getAttribute('fill') || '#000000') : parse(style.color);
  const ground = behind(svg ? el.closest('svg').parentElement : el);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  const got = ratio(ink, ground);
  if (got < (large ? 3 : 4.5)) {
    problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}": `
      + `${got.toFixed(2)}:1`);
  }
}
return problems;
"""


class Browser:
    """One headless Chromium with its own profile, downloads going to ``downloads``."""

    def __init__(self, downloads: Path) -> None:
        if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
            raise RuntimeError(
                "Chromium is not installed: `make browser` installs Debian's chromium and "
                "chromium-driver (the test command runs it)"
            )
        self.downloads = downloads
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--window-size=1280,900",
            "--lang=pl-PL",
        ):
            options.add_argument(arg)
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "safebrowsing.enabled": False,
            },
        )
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True},
        )

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """Run a blocking Selenium call in a thread."""
        return await asyncio.to_thread(call, *args)

    async def open(self, url: str) -> str:
        """Load ``url`` and return the page's visible text."""
        await self.run(self.driver.get, url)
        return await self.text()

    async def text(self) -> str:
        """The visible text of the page."""
        return await self.run(lambda: self.driver.find_element(By.TAG_NAME, "body").text)

    async def find(self, css: str) -> WebElement:
        """The first element matching ``css``."""
        return await self.run(self.driver.find_element, By.CSS_SELECTOR, css)

    async def click(self, css: str, *, navigates: bool = True) -> str:
        """Click the element and return the text of the page it leads to (once it is there)."""
        element = await self.find(css)
        old = await self.find("html")

        def gone(_: object) -> bool:
            try:
                old.is_enabled()
            except WebDriverException:  # stale, or its node left the document
                return True
            return False

        def loaded(driver: Any) -> bool:
            return bool(driver.execute_script("return document.readyState") == "complete")

        def click_and_wait() -> None:
            element.click()
            if navigates:
                WebDriverWait(self.driver, 20).until(gone)
                WebDriverWait(self.driver, 20).until(loaded)

        await self.run(click_and_wait)
        return await self.text()

    @property
    def url(self) -> str:
        """The address on screen."""
        return str(self.driver.current_url)

    async def width(self, pixels: int) -> None:
        """Show pages ``pixels`` wide (a phone at 390, with touch and its scale)."""
        await self.run(
            self.driver.execute_cdp_cmd,
            "Emulation.setDeviceMetricsOverride",
            {"width": pixels, "height": 900, "deviceScaleFactor": 1, "mobile": pixels < 600},
        )

    async def layout_problems(self) -> list[str]:
        """What overflows: the page past the window, or text past its container."""
        return list(await self.run(self.driver.execute_script, _LAYOUT_CHECK))

    async def contrast_problems(self) -> list[str]:
        """Text below WCAG AA contrast against what it is drawn on."""
        return list(await self.run(self.driver.execute_script, _CONTRAST_CHECK))

    async def print_pdf(self) -> bytes:
        """The page as Chromium prints it, with the page size its stylesheet asks for."""
        printed = await self.run(
            self.driver.execute_cdp_cmd,
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True},
        )
        return base64.b64decode(printed["data"])

    async def screenshot(self, path: Path) -> None:
        """Save the whole page (not just the window) as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)

        def shoot() -> None:
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
            )
            path.write_bytes(base64.b64decode(shot["data"]))

        await self.run(shoot)

    async def downloaded(self, suffix: str) -> Path:
        """Wait (20 s at most) for a finished download ending in ``suffix``.

        Chromium writes ``….crdownload`` and renames it when the file is complete.
        """
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done = [p for p in self.downloads.iterdir() if p.name.endswith(suffix)]
            if done:
                return done[0]
            await asyncio.sleep(0.1)
        raise AssertionError(f"no {suffix} download in {list(self.downloads.iterdir())}")

    def forget_cookies(self) -> None:
        """A different person at another browser: no session."""
        self.driver.delete_all_cookies()

    def close(self) -> None:
        """Quit Chromium and its driver."""
        self.driver.quit()
