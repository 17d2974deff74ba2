"""The web view in a real browser: Debian's Chromium, headless, over loopback.

An administrator signs in with the link a chat turn gave, sees the overview, filters it by
phase and downloads the CSV, whose totals are checked against the database. Sign-in links
that expired or were used are refused; a coordinator's link shows their report and nothing
else; a revoked link shows no data. Screenshots at 1280 and 390 px go to ``.screenshots/``,
and any page wider than its window, text outside its container or text below WCAG AA contrast
fails the test.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.helpers import ROOT
from tests.web.browser import Browser
from tests.web.site import ADMIN, Site, finished, running_site

SHOTS = ROOT / ".screenshots"
WIDTHS = (1280, 390)


@pytest.fixture
async def site(content: Content, store: MemoryStorage, clock: ManualClock) -> AsyncIterator[Site]:
    async with running_site(content, store, clock) as running:
        # Eleven clusters agreed, one did not: six in the growth phase, five mature.
        for i in range(11):
            phase = "faza rozwoju" if i < 6 else "faza dojrzałości"
            special = {"2.1.1": "Nie spełnia"} if i % 3 == 0 else None
            chat = running.chat(Address("console", f"c{i}", f"u{i}"))
            await finished(chat, name=f"Klaster {i}", phase=phase, special=special)
        await finished(
            running.chat(Address("console", "cx", "ux")), name="Klaster X", consent=False
        )
        yield running


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opened = await asyncio.to_thread(Browser, downloads)
    try:
        yield opened
    finally:
        await opened.run(opened.close)


async def check_layout(browser: Browser, name: str) -> None:
    """Screenshots at each width; nothing wider than the window, no text outside its box."""
    for width in WIDTHS:
        await browser.width(width)
        await browser.run(browser.driver.refresh)
        problems = await browser.layout_problems()
        await browser.screenshot(SHOTS / f"{name}-{width}.png")
        assert problems == [], f"{name} at {width}px: {problems[:5]}"
    assert await browser.contrast_problems() == []


async def test_an_administrator_signs_in_filters_and_downloads(
    site: Site, browser: Browser, store: MemoryStorage
) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    link = site.local(admin.text)
    text = await browser.open(link)
    assert "Ten link działa raz" in text
    text = await browser.click("form button[type=submit]")
    assert "Przegląd samoocen klastrów" in text
    assert (await browser.find("#clusters")).text == "11"
    assert "Klaster" not in text  # no cluster's name anywhere
    await check_layout(browser, "overview")

    phase = await browser.find("select[name=phase]")
    await browser.run(lambda: phase.find_element("css selector", "option[value=growth]").click())
    text = await browser.click("form.filters button[type=submit]")
    assert "phase=growth" in browser.url
    assert (await browser.find("#clusters")).text == "6"

    await browser.click("a[href^='/panel/overview.csv']", navigates=False)
    saved = await browser.downloaded(".csv")
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data[3:].decode(), newline=""), delimiter=";"))
    in_growth = [r for r in await store.overview_rows() if r.phase == "growth"]
    totals = {row[0]: row[1] for row in rows if len(row) == 2}
    assert totals == {"Klastry": str(len({r.owner for r in in_growth})), "Samooceny": "6"}
    share = next(row for row in rows if row and row[0] == "2.1.1")
    met = sum(r.codes.get("2.1.1") == "y" for r in in_growth)
    assert share[3:5] == [str(round(100 * met / 6)), "6"] == ["67", "6"]


async def test_used_and_expired_sign_in_links_are_refused(site: Site, browser: Browser) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    first = site.local(admin.text)
    await browser.open(first)
    await browser.click("form button[type=submit]")
    browser.forget_cookies()
    text = await browser.open(first)
    assert "Ten link już nie działa" in text and "Zaloguj się" not in text
    text = await browser.open(site.base + "/panel")
    assert "Najpierw się zaloguj" in text and "%" not in text
    await admin.send("/panel")
    second = site.local(admin.text)
    site.clock.advance(timedelta(minutes=16))
    text = await browser.open(second)
    assert "Ten link już nie działa" in text


async def test_a_coordinators_link_shows_their_report_only_until_revoked(
    site: Site, browser: Browser
) -> None:
    coordinator = site.chat(Address("console", "c3", "u3"))
    await coordinator.send("/raport www")
    link = site.local(coordinator.text)
    text = await browser.open(link)
    assert "Klaster 3" in text and "NEGATYWNY" in text and "2.1.1" in text
    assert not any(f"Klaster {i}" in text for i in (1, 2, 4, 10))
    await check_layout(browser, "report")
    printed = PdfReader(io.BytesIO(await browser.print_pdf()))
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in printed.pages
    }
    assert sizes == {(595, 842)}  # A4 in points
    words = "".join(page.extract_text() for page in printed.pages)
    assert "Klaster 3" in words and "English" not in words  # the language link is not printed
    text = await browser.open(site.base + "/panel")
    assert "Najpierw się zaloguj" in text
    await coordinator.send("/raport www wylacz")
    text = await browser.open(link)
    assert "Ten link już nie działa" in text and "Klaster 3" not in text
