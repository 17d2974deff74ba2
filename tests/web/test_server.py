"""The web view over HTTP on loopback: report links, signing in, the overview, bad input."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.core.web_ports import SIGN_IN
from bot.core.weblinks import digest
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.web.site import ADMIN, Site, finished, running_site

ALA = Address("console", "chat-ala", "ala")
OLA = Address("console", "chat-ola", "ola")


@pytest.fixture
async def site(content: Content, store: MemoryStorage, clock: ManualClock) -> AsyncIterator[Site]:
    async with running_site(content, store, clock) as running:
        yield running


async def report_link(site: Site, address: Address, name: str) -> str:
    chat = site.chat(address)
    await finished(chat, name=name, special={"2.1.1": "Nie spełnia"})
    await chat.send("/raport www")
    return site.local(chat.text)


async def sign_in(site: Site) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    link = site.local(admin.text)
    async with site.http.post(link, allow_redirects=False) as response:
        assert response.status == 303, await response.text()


async def test_a_report_link_shows_that_report_and_nothing_else(site: Site) -> None:
    ala = await report_link(site, ALA, "Klaster Alfa")
    ola = await report_link(site, OLA, "Klaster Omega")
    async with site.http.get(ala) as response:
        assert response.status == 200
        page = await response.text()
    assert "Klaster Alfa" in page and "Klaster Omega" not in page
    assert "NEGATYWNY" in page and "2.1.1" in page and "Stabilność finansowa" in page
    assert "<svg" in page and "PARP 2015" in page
    assert response.headers["Cache-Control"] == "no-store"
    async with site.http.get(ola) as response:
        assert "Klaster Omega" in await response.text()


async def test_a_revoked_or_expired_link_shows_a_polite_page_without_data(site: Site) -> None:
    link = await report_link(site, ALA, "Klaster Alfa")
    chat = site.chat(ALA)
    await chat.send("/raport www wylacz")
    async with site.http.get(link) as response:
        page = await response.text()
    assert response.status == 410
    assert "Ten link już nie działa" in page and "Klaster Alfa" not in page
    await chat.send("/raport www")
    fresh = site.local(chat.text)
    site.clock.advance(timedelta(days=30, seconds=1))
    async with site.http.get(fresh) as response:
        assert response.status == 410
        assert "Klaster Alfa" not in await response.text()


@pytest.mark.parametrize(
    "path",
    [
        "/report/" + "A" * 43,
        "/report/short",
        "/report/" + "x" * 5000,
        "/report/%00%ff" + "A" * 37,
        "/report/../panel",
    ],
)
async def test_forged_report_links_get_404(site: Site, path: str) -> None:
    await report_link(site, ALA, "Klaster Alfa")
    async with site.http.get(site.base + path) as response:
        assert 400 <= response.status < 500
        assert "Klaster Alfa" not in await response.text()


async def test_a_tampered_report_link_opens_nothing(site: Site) -> None:
    link = await report_link(site, ALA, "Klaster Alfa")
    last = link[-1]
    tampered = link[:-1] + ("B" if last != "B" else "C")
    async with site.http.get(tampered) as response:
        assert response.status == 404
        assert "Klaster Alfa" not in await response.text()


async def test_what_a_user_typed_is_escaped(site: Site) -> None:
    link = await report_link(site, ALA, "<script>alert(1)</script> & Co")
    async with site.http.get(link) as response:
        page = await response.text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


async def test_every_response_has_the_security_headers(site: Site) -> None:
    link = await report_link(site, ALA, "Klaster Alfa")
    for url in (link, site.base + "/panel", site.base + "/healthz", site.base + "/nope"):
        async with site.http.get(url) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp  # no script may run at all
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


async def test_the_report_page_is_in_english_on_request(site: Site) -> None:
    link = await report_link(site, ALA, "Klaster Alfa")
    async with site.http.get(link + "?lang=en") as response:
        page = await response.text()
    assert 'lang="en"' in page and "Does not meet" in page and "Nie spełnia" not in page


async def test_signing_in_uses_the_link_once_and_sets_a_strict_cookie(site: Site) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    link = site.local(admin.text)
    async with site.http.get(link) as response:  # a link preview: nothing is used up
        assert response.status == 200 and "Zaloguj się" in await response.text()
    async with site.http.post(link, allow_redirects=False) as response:
        assert response.status == 303 and response.headers["Location"].startswith("/panel")
        cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=28800" in cookie
    assert "Path=/panel" in cookie and "Secure" not in cookie  # plain http on loopback
    async with site.http.get(site.base + "/panel?phase=") as response:
        assert response.status == 200
        page = await response.text()
    assert "Przegląd samoocen klastrów" in page
    assert 'href="/panel?phase=&amp;lang=en"' in page  # the same page in English
    async with site.http.get(site.base + "/panel?lang=en") as response:
        assert "Overview of cluster self-evaluations" in await response.text()
    async with site.http.post(link, allow_redirects=False) as response:  # reused
        assert response.status == 410 and "Set-Cookie" not in response.headers
    async with site.http.get(link) as response:
        assert response.status == 410


async def test_behind_https_the_cookie_is_secure(
    content: Content, store: MemoryStorage, clock: ManualClock
) -> None:
    async with running_site(content, store, clock, public_url="https://panel.example.org") as s:
        admin = s.chat(ADMIN)
        await admin.send("/panel")
        assert "https://panel.example.org/panel/signin/" in admin.text
        async with s.http.post(s.local(admin.text), allow_redirects=False) as response:
            assert "Secure" in response.headers["Set-Cookie"]


async def test_an_expired_sign_in_link_is_refused(site: Site) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    link = site.local(admin.text)
    site.clock.advance(timedelta(minutes=15))
    async with site.http.post(link, allow_redirects=False) as response:
        assert response.status == 410 and "Set-Cookie" not in response.headers
    async with site.http.get(site.base + "/panel") as response:
        assert response.status == 401


async def test_a_link_of_someone_no_longer_admin_opens_no_session(site: Site) -> None:
    assert site.services.web is not None
    link = await site.services.web.sign_in_link(ALA.user_key, site.clock.now())
    path = link.url.split("/panel/signin/")[1]
    async with site.http.post(
        f"{site.base}/panel/signin/{path}", allow_redirects=False
    ) as response:
        assert response.status == 403 and "Set-Cookie" not in response.headers
    token = await site.store.get_web_token(digest(path))  # type: ignore[attr-defined]
    assert token is not None and token.kind == SIGN_IN and token.used_at is not None


async def test_without_a_session_no_aggregate_is_served(site: Site) -> None:
    for i in range(6):
        await finished(site.chat(Address("console", f"c{i}", f"u{i}")), name=f"K{i}")
    for path in ("/panel", "/panel/overview.csv", "/panel/overview.xlsx", "/panel?phase=growth"):
        async with site.http.get(site.base + path) as response:
            body = await response.read()
        assert response.status == 401
        assert b"Najpierw si" in body and b"%" not in body
    site.http.cookie_jar.update_cookies({"clusterbot_session": "A" * 43})
    async with site.http.get(site.base + "/panel") as response:
        assert response.status == 401


async def test_bad_filters_and_huge_queries_get_4xx(site: Site) -> None:
    await sign_in(site)
    cases = {
        "/panel?phase=nonsense": 400,
        "/panel?period=2026-Q9": 400,
        "/panel?region=xx": 400,
        "/panel?sector=" + "a" * 200: 400,
        "/panel?phase=" + "a" * 3000: 414,
        "/panel?unknown=1": 200,  # an unknown parameter is ignored, as browsers add some
    }
    for path, status in cases.items():
        async with site.http.get(site.base + path) as response:
            assert response.status == status, path


async def test_the_csv_totals_match_the_database(site: Site, store: MemoryStorage) -> None:
    for i in range(6):
        await finished(
            site.chat(Address("console", f"c{i}", f"u{i}")),
            name=f"K{i}",
            special={"2.1.1": "Nie spełnia"} if i % 2 else None,
        )
    await finished(site.chat(Address("console", "c9", "u9")), name="K9", consent=False)
    await sign_in(site)
    async with site.http.get(site.base + "/panel/overview.csv") as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        body = await response.read()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline=""), delimiter=";"))
    consenting = {r.owner for r in await store.overview_rows()}
    assert len(consenting) == 6  # the seventh said no
    totals = {row[0]: row[1] for row in rows if len(row) == 2}
    assert totals == {"Klastry": "6", "Samooceny": "6"}
    share = next(row for row in rows if row and row[0] == "2.1.1")
    assert share[3:5] == ["50", "6"]  # 3 of the 6 clusters meet 2.1.1


async def test_signing_out_ends_the_session(site: Site) -> None:
    await sign_in(site)
    cookie = next(c.value for c in site.http.cookie_jar if c.key == "clusterbot_session")
    async with site.http.post(site.base + "/panel/signout") as response:
        assert response.status == 200
    # The old cookie, sent again by hand (a copy kept elsewhere), opens nothing any more.
    site.http.cookie_jar.update_cookies({"clusterbot_session": cookie})
    async with site.http.get(site.base + "/panel") as response:
        assert response.status == 401


async def test_a_cross_site_post_is_refused(site: Site) -> None:
    admin = site.chat(ADMIN)
    await admin.send("/panel")
    link = site.local(admin.text)
    cross = {"Sec-Fetch-Site": "cross-site"}
    async with site.http.post(link, headers=cross, allow_redirects=False) as response:
        assert response.status == 403 and "Set-Cookie" not in response.headers
    async with site.http.post(link, allow_redirects=False) as response:  # still unused
        assert response.status == 303
