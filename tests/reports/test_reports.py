"""Reports a coordinator can put before the board: chart, PDF, exports, readiness."""

from __future__ import annotations

import io

from PIL import Image as PILImage
from pypdf import PdfReader

from bot.core.dispatcher import Dispatcher
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import Chat


async def finished(dispatcher: Dispatcher, special: dict[str, str] | None = None) -> Chat:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    await answer_all(
        chat, special or {"2.1.1": "Nie spełnia", "1.1.3": "Nie wiem", "4.3.2": "Nie spełnia"}
    )
    return chat


async def test_report_ends_with_a_readable_chart(dispatcher: Dispatcher) -> None:
    chat = await finished(dispatcher)
    assert "Wynik samooceny: NEGATYWNY" in chat.text
    *report, consent = chat.last  # the overview consent question follows the report
    assert "Nie uwzględniaj" in [b.label for b in consent.all_buttons]
    image = report[-1].image
    assert image is not None and "PARP 2015" in image.caption
    picture = PILImage.open(io.BytesIO(image.png))
    # Wide enough for a phone preview and A4 print, taller than wide never.
    assert picture.format == "PNG" and picture.size[0] == 1280
    assert 700 <= picture.size[1] <= 1100


async def test_pdf_has_verdict_every_standard_and_diacritics(dispatcher: Dispatcher) -> None:
    chat = await finished(dispatcher)
    await chat.send("/raport pdf")
    document = chat.last[0].document
    assert document is not None and document.mime == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.data)).pages)
    assert "Wynik: NEGATYWNY" in text
    for standard_id in ("1.1.1", "2.1.1", "3.5.1", "4.6.1", "5.3.2"):
        assert standard_id in text
    import re

    ids = set(re.findall(r"\b\d\.\d\.\d\b", text))
    assert len(ids) == 36
    assert "Stabilność finansowa" in text and "Współpraca z otoczeniem" in text
    assert "PARP 2015" in text and "92%" in text
    assert "Zaplanuj budżet koordynacji" in text  # guidance of an unmet obligatory standard


async def test_pdf_in_english_and_change_since_previous(dispatcher: Dispatcher) -> None:
    chat = await finished(dispatcher, {"2.1.1": "Nie spełnia"})
    await chat.press("Nowa samoocena")
    await chat.press("Profil i odpowiedzi")
    await chat.press("faza rozwoju")
    await answer_all(chat)
    await chat.send("/language en")
    await chat.send("/report pdf")
    document = chat.last[0].document
    assert document is not None
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.data)).pages)
    assert "Result: POSITIVE" in text
    assert "Change since the previous self-evaluation" in text and "97% → 100%" in text


async def test_readiness_follows_profile_and_answers(dispatcher: Dispatcher) -> None:
    chat = await finished(dispatcher)
    await chat.send("/gotowosc")
    text = chat.text
    assert "to nie jest oficjalna ocena" in text
    assert "✅ co najmniej 3 lata działalności (u Was: 11 lat)" in text
    assert "❌ co najmniej 51 członków (u Was: 45 członków)" in text
    assert "✅ Zasoby ludzkie, infrastrukturalne i finansowe: spełnione 6/7" in text
    assert (
        "✅ Potencjał gospodarczy klastra: spełnione 3/4 powiązanych standardów (75%; próg: 75%)"
        in text
    )
    assert "Progi, które stosuję: KKK – co najmniej 3 lata działalności" in text
    assert "niepełne" not in text  # every standard has an answer
    assert "❔ strona internetowa po angielsku" in text
    await chat.press("Strona po angielsku? Tak")
    assert "✅ strona internetowa po angielsku" in chat.text
    await chat.press("Zespół ≥ 0,5 etatu? Nie")
    assert "❌ zespół zarządzający" in chat.text


async def test_recommendations_put_obligatory_first() -> None:
    from bot.assessment.insights import recommendations
    from bot.config import REPO_CONTENT_DIR
    from bot.loader import load_content

    q = load_content(REPO_CONTENT_DIR).questionnaires[0]
    codes: dict[str, str | None] = {s.id: "y" for s in q.standards}
    codes.update({"4.3.2": "n", "5.3.1": "u", "2.1.1": "n", "1.1.3": "n"})
    ordered = [s.id for s in recommendations(q, "growth", codes)]
    assert ordered == ["1.1.3", "2.1.1", "4.3.2", "5.3.1"]  # 5.3.1 is optional in growth
    ordered = [s.id for s in recommendations(q, "maturity", codes)]
    assert ordered == ["1.1.3", "2.1.1", "5.3.1", "4.3.2"]
