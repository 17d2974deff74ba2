"""The anonymised overview: who counts, what is hidden, what the filters keep (issue 19)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.assessment.model import Questionnaire
from bot.loader import Content
from bot.web.differencing import wider
from bot.web.overview import (
    Cell,
    Filters,
    Overview,
    aggregate,
    filter_options,
    quarter_of,
    sector_key,
)
from bot.web.overview_page import overview_page
from bot.web.pages import Pages
from tests.web.overview_data import SPRING, Rows, all_met, cells, verdict_codes

Q1 = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
Q2 = SPRING


@pytest.fixture(scope="module")
def q(content: Content) -> Questionnaire:
    return next(x for x in content.questionnaires if x.id == "parp-standards")


@pytest.fixture
def rows(q: Questionnaire) -> Rows:
    return Rows(q)


@pytest.fixture
def overview(content: Content, q: Questionnaire) -> Any:
    def build(rows: list[Any], filters: Filters | None = None, **kwargs: Any) -> Overview:
        return aggregate(
            rows,
            q,
            content.readiness.parp_2015,
            filters,
            profile_spec=content.profile,
            **kwargs,
        )

    return build


def group(groups: tuple[Any, ...], key: str) -> Any:
    return next(g for g in groups if g.key == key)


# --- the suppression boundary, for every kind of cell ------------------------------------


def test_four_clusters_hide_everything(rows: Rows, overview: Any) -> None:
    result = overview(rows.many(4))
    assert result.suppressed
    assert result.clusters == Cell(None, 4)
    assert result.assessments == Cell(None, 4)
    assert result.overall.percent == Cell(None, 4)
    assert result.overall.parp_2015 == 92  # PARP's published figure is not ours to hide
    assert all(a.percent.value is None for a in result.areas)
    assert all(s.overall.value is None for s in result.standards)
    assert result.weakest == ()
    assert [(path, c) for path, c in cells(result) if c.value is not None] == []


def test_five_clusters_show_the_totals(rows: Rows, overview: Any) -> None:
    result = overview(rows.many(5))
    assert not result.suppressed
    assert result.clusters == Cell(5, 5)
    assert result.assessments == Cell(5, 5)
    assert result.overall.percent == Cell(100, 5)
    assert [a.percent.value for a in result.areas] == [100] * 5
    assert result.standards[0].overall == Cell(100, 5)
    assert len(result.weakest) == 10


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_phase_cells(rows: Rows, overview: Any, n: int, shown: bool) -> None:
    result = overview(rows.many(n, phase="embryonic") + rows.many(6, phase="maturity"))
    embryonic = result.verdicts[0]
    assert embryonic.phase == "embryonic"
    assert embryonic.total == Cell(n if shown else None, n)
    assert result.standards[0].by_phase["embryonic"] == Cell(100 if shown else None, n)
    assert result.standards[0].by_phase["growth"] == Cell(None, 0)  # no cluster: hidden
    assert result.verdicts[1].total == Cell(None, 0)


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_region_cells(rows: Rows, overview: Any, n: int, shown: bool) -> None:
    result = overview(rows.many(n, region="op") + rows.many(6, region="mz"))
    if not shown:  # a hidden group is not listed: its name would tell that a cluster is there
        assert "op" not in [g.key for g in result.by_region]
        return
    opolskie = group(result.by_region, "op")
    assert opolskie.label.pl == "opolskie"
    assert opolskie.clusters == Cell(n, n)
    assert opolskie.percent == Cell(100, n)


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_sector_cells(rows: Rows, overview: Any, n: int, shown: bool) -> None:
    data = rows.many(n, sector="ICT") + rows.many(6, sector="energetyka")
    result = overview(data)
    if not shown:
        assert "ict" not in [g.key for g in result.by_sector]
        return
    ict = group(result.by_sector, "ict")
    assert ict.clusters == Cell(n, n)
    assert ict.percent == Cell(100, n)


def test_a_group_one_step_from_another_page_is_not_listed(rows: Rows, overview: Any) -> None:
    # ICT in the growth phase (5) against ICT in every phase (6): one cluster apart.
    data = rows.many(5, sector="ICT") + rows.many(1, sector="ict", phase="maturity")
    data += rows.many(6, sector="energetyka")
    result = overview(data, Filters(phase="growth"))
    assert "ict" not in [g.key for g in result.by_sector]
    assert overview(data).by_sector[1].clusters == Cell(6, 6)


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_quarter_cells(rows: Rows, overview: Any, n: int, shown: bool) -> None:
    result = overview(rows.many(n, when=Q1) + rows.many(6, when=Q2))
    first, second = result.quarters
    assert (first.period, second.period) == ("2026-Q1", "2026-Q2")
    assert first.assessments == Cell(n if shown else None, n)
    assert first.clusters == Cell(n if shown else None, n)
    assert first.percent == Cell(100 if shown else None, n)
    # With 4 in Q1, Q2's 6 are also 4 short of the whole page (10): hidden too.
    assert second.clusters == Cell(6 if shown else None, 6)
    assert second.change == (0 if shown else None)
    assert second.previous == "2026-Q1"


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_verdict_cells(q: Questionnaire, rows: Rows, overview: Any, n: int, shown: bool) -> None:
    negative = verdict_codes(q, "growth", "negative")
    result = overview(rows.many(n, codes=negative) + rows.many(6))
    growth = result.verdicts[1]
    assert growth.total == Cell(n + 6, n + 6)
    assert growth.negative == Cell(n if shown else None, n)
    assert growth.incomplete == Cell(None, 0)
    # 6 positive are enough, but with only the negatives hidden they would be the total minus 6
    assert growth.positive == Cell(6 if shown else None, 6)


def test_verdicts_follow_the_scoring(q: Questionnaire, rows: Rows, overview: Any) -> None:
    data = rows.many(5) + rows.many(5, codes=verdict_codes(q, "growth", "negative"))
    data += rows.many(5, codes=verdict_codes(q, "growth", "incomplete"))
    growth = overview(data).verdicts[1]
    assert (growth.positive, growth.negative, growth.incomplete, growth.total) == (
        Cell(5, 5),
        Cell(5, 5),
        Cell(5, 5),
        Cell(15, 15),
    )


def test_a_hidden_part_cannot_be_worked_out_from_the_total(rows: Rows, overview: Any) -> None:
    data = rows.many(5, region="mz") + rows.many(6, region="pm") + rows.many(2, region="op")
    result = overview(data)
    shown = {g.key: g.clusters.value for g in result.by_region}
    # op (2) is hidden; total 13 minus mz and pm would give it away, so mz goes too; hidden
    # groups are not listed.
    assert shown == {"pm": 6}


def test_clusters_without_a_region_are_a_hidden_part_too(rows: Rows, overview: Any) -> None:
    result = overview(rows.many(6, region="mz") + rows.many(3, region=None))
    assert result.by_region == ()  # mz (6) is 3 short of the page (9)


def test_min_clusters_can_be_set(rows: Rows, overview: Any) -> None:
    assert overview(rows.many(3), min_clusters=3).clusters == Cell(3, 3)
    with pytest.raises(ValueError, match="at least 1"):
        overview([], min_clusters=0)


def test_nothing_at_all(overview: Any) -> None:
    result = overview([])
    assert result.suppressed and result.clusters == Cell(None, 0)
    assert result.quarters == () and result.by_region == () and result.by_sector == ()


# --- who counts ------------------------------------------------------------------------------


def test_a_cluster_counts_once_with_its_latest_row(
    q: Questionnaire, rows: Rows, overview: Any
) -> None:
    none_met = {s.id: "n" for s in q.standards}
    history = [
        rows.one("again", codes=none_met, when=Q1, phase="embryonic"),
        rows.one("again", codes=none_met, when=Q1 + timedelta(days=30), phase="embryonic"),
        rows.one("again", when=Q2),  # the latest: everything met, growth phase
    ]
    result = overview(history + rows.many(4))
    assert result.clusters == Cell(5, 5)
    assert result.assessments == Cell(7, 5)
    assert result.standards[0].overall == Cell(100, 5)
    assert result.overall.percent.value == 100
    # The embryonic column is the embryonic page: there, this cluster's latest is its second
    # embryonic row (hidden: one cluster).
    assert result.verdicts[0].total == Cell(None, 1)
    assert result.verdicts[1].total == Cell(5, 5)


def test_on_the_same_moment_the_later_id_wins(q: Questionnaire, rows: Rows, overview: Any) -> None:
    none_met = {s.id: "n" for s in q.standards}
    pair = [rows.one("x", assessment_id=90), rows.one("x", codes=none_met, assessment_id=80)]
    result = overview(pair + rows.many(4))
    assert result.standards[0].overall == Cell(100, 5)


def test_only_yes_counts_as_met(q: Questionnaire, rows: Rows, overview: Any) -> None:
    first = q.standards[0].id
    data = [rows.one(codes={**all_met(q), first: code}) for code in ("n", "u", "s", None)]
    data += [rows.one(codes={k: v for k, v in all_met(q).items() if k != first})]
    data += rows.many(5)
    assert overview(data).standards[0].overall == Cell(50, 10)  # 5 of 10


def test_rows_of_another_questionnaire_or_phase_are_ignored(rows: Rows, overview: Any) -> None:
    data = rows.many(5) + rows.many(3, questionnaire_id="other-form")
    data += rows.many(3, phase="unknown-phase")
    result = overview(data)
    assert result.clusters == Cell(5, 5)
    assert result.assessments == Cell(5, 5)


def test_the_weakest_standards(q: Questionnaire, rows: Rows, overview: Any) -> None:
    ids = [s.id for s in q.standards]
    low = {ids[20]: "n", ids[3]: "n", ids[30]: "n"}
    data = rows.many(5, codes={**all_met(q), **low}) + rows.many(
        5, codes={**all_met(q), ids[7]: "n"}
    )
    weakest = overview(data).weakest
    assert [s.id for s in weakest[:4]] == [ids[3], ids[7], ids[20], ids[30]]
    assert [s.overall.value for s in weakest[:4]] == [50, 50, 50, 50]
    assert [s.id for s in weakest[4:]] == [i for i in ids if i not in low and i != ids[7]][:6]


def test_areas_and_overall_beside_parp_2015(q: Questionnaire, rows: Rows, overview: Any) -> None:
    area_1 = [s.id for sub in q.areas[0].subareas for s in sub.standards]
    codes = {**all_met(q), **{i: "n" for i in area_1}}
    result = overview(rows.many(5, codes=codes) + rows.many(5))
    assert result.areas[0].id == "1"
    assert result.areas[0].percent == Cell(50, 10)
    assert result.areas[0].parp_2015 == 93
    assert result.areas[1].percent == Cell(100, 10)
    met = len(q.standards) - len(area_1)
    assert result.overall.percent.value == round((round(100 * met / len(q.standards)) + 100) / 2)


# --- filters ---------------------------------------------------------------------------------


def test_filter_by_phase(rows: Rows, overview: Any) -> None:
    result = overview(rows.many(5, phase="maturity") + rows.many(6), Filters(phase="maturity"))
    assert result.clusters == Cell(5, 5)
    assert [v.total.clusters for v in result.verdicts] == [0, 0, 5]


def test_filter_by_region(rows: Rows, overview: Any) -> None:
    result = overview(rows.many(5, region="pm") + rows.many(6), Filters(region="pm"))
    assert result.clusters == Cell(5, 5)
    assert [g.key for g in result.by_region] == ["pm"]


def test_filter_by_sector_folds_the_spelling(rows: Rows, overview: Any) -> None:
    data = [rows.one(sector=s) for s in ("ICT", "ict ", "Ict.", " ICT", "„ICT”")]
    data += rows.many(6, sector="Energetyka")
    result = overview(data, Filters(sector=sector_key("ICT")))
    assert result.clusters == Cell(5, 5)
    assert [(g.key, g.label.pl) for g in result.by_sector] == [("ict", "ICT")]


def test_filter_by_year_and_quarter_in_warsaw_time(rows: Rows, overview: Any) -> None:
    # 31 March 22:30 UTC is already 1 April in Warsaw: the second quarter.
    edge = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    data = (
        rows.many(5, when=edge) + rows.many(6, when=Q1) + rows.many(7, when=Q1.replace(year=2025))
    )
    assert overview(data, Filters(period="2026-Q2")).clusters == Cell(5, 5)
    assert overview(data, Filters(period="2026-Q1")).clusters == Cell(6, 6)
    assert overview(data, Filters(period="2026")).clusters == Cell(11, 11)
    assert overview(data, Filters(period="2025")).clusters == Cell(7, 7)
    assert overview(data, Filters(period="2024")).clusters == Cell(None, 0)


def test_quarters_use_each_clusters_latest_row_in_the_quarter(
    q: Questionnaire, rows: Rows, overview: Any
) -> None:
    none_met = {s.id: "n" for s in q.standards}
    data = [rows.one(f"c{i}", codes=none_met, when=Q1) for i in range(5)]
    data += [rows.one(f"c{i}", when=Q1 + timedelta(days=1)) for i in range(5)]
    data += [rows.one(f"c{i}", codes=none_met, when=Q2) for i in range(5)]
    first, second = overview(data).quarters
    assert (first.assessments, first.clusters, first.percent) == (
        Cell(10, 5),
        Cell(5, 5),
        Cell(100, 5),
    )
    assert second.percent == Cell(0, 5)
    assert second.change == -100


def test_combined_filters(rows: Rows, overview: Any) -> None:
    data = rows.many(5, region="pm", phase="maturity") + rows.many(5, region="pm")
    data += rows.many(5, phase="maturity")
    result = overview(data, Filters(phase="maturity", region="pm", period="2026-Q2"))
    assert result.clusters == Cell(5, 5)


# --- two selections must not tell a cluster apart by their difference -----------------------


@pytest.mark.parametrize(("outside", "shown"), [(1, False), (4, False), (5, True), (0, True)])
def test_a_filter_leaving_out_one_to_four_clusters_hides_everything(
    rows: Rows, overview: Any, outside: int, shown: bool
) -> None:
    data = rows.many(10, phase="growth") + rows.many(outside, phase="maturity")
    result = overview(data, Filters(phase="growth"))
    assert result.suppressed is not shown
    assert result.clusters.clusters == 10
    assert (result.standards[0].overall.value is not None) is shown
    # The wider selection itself stays shown: the difference is hidden on the narrow side.
    assert overview(data).clusters.value == 10 + outside


def test_a_quarter_close_to_its_year_is_hidden(rows: Rows, overview: Any) -> None:
    data = rows.many(6, when=Q1) + rows.many(2, when=Q2)
    assert overview(data, Filters(period="2026-Q1")).suppressed  # 2026 has 2 more
    assert overview(data, Filters(period="2026")).clusters.value == 8


def test_each_filter_of_a_combination_is_checked(rows: Rows, overview: Any) -> None:
    data = rows.many(6, region="pm", phase="maturity") + rows.many(2, region="mz", phase="maturity")
    data += rows.many(9, region="pm", phase="growth")
    # Dropping the phase adds 9 clusters, dropping the voivodeship only 2.
    assert overview(data, Filters(phase="maturity", region="pm")).suppressed
    data += rows.many(3, region="mz", phase="maturity")
    assert not overview(data, Filters(phase="maturity", region="pm")).suppressed


def test_a_bad_period_is_refused() -> None:
    with pytest.raises(ValueError, match="period"):
        Filters(period="2026-Q5")
    with pytest.raises(ValueError, match="period"):
        Filters(period="26")


def test_sector_keys() -> None:
    assert {sector_key(s) for s in ("ICT", "ict ", "Ict.", "  ICT  ", "„ICT”")} == {"ict"}
    assert sector_key("Przemysł  Spożywczy") == "przemysl spozywczy"
    assert sector_key("") == sector_key(None) == sector_key("...") == ""


def test_filter_options(content: Content, q: Questionnaire, rows: Rows) -> None:
    data = rows.many(4, sector="ict") + rows.many(2, sector="ICT", when=Q1)
    data += rows.many(5, sector="Meblarstwo", when=Q1.replace(year=2025))
    data += rows.many(4, sector="bursztyn")  # four clusters: its name could point at one
    data += rows.many(5, questionnaire_id="other-form", sector="ukryte")
    options = filter_options(data, q, content.profile)
    assert options.phases == ("embryonic", "growth", "maturity")
    assert options.regions[:3] == ("ds", "kp", "lu") and len(options.regions) == 16
    assert [(s.key, s.label) for s in options.sectors] == [
        ("ict", "ict"),
        ("meblarstwo", "Meblarstwo"),
    ]
    assert options.periods == ("2026", "2026-Q2", "2026-Q1", "2025", "2025-Q1")
    assert options.unknown(Filters("growth", "mz", "ict", "2026-Q1")) == ()
    assert options.unknown(Filters("adult", "xx", "bursztyn", "2024")) == (
        "phase",
        "region",
        "sector",
        "period",
    )


def test_quarter_of(rows: Rows) -> None:
    assert quarter_of(rows.one(when=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))) == "2027-Q1"


# --- the property: nothing shown from fewer than 5 clusters ----------------------------------

_PHASES = ("embryonic", "growth", "maturity")


@st.composite
def _data(draw: st.DrawFn, q: Questionnaire) -> tuple[list[Any], Filters]:
    maker = Rows(q)
    ids = [s.id for s in q.standards]
    data = []
    for _ in range(draw(st.integers(0, 60))):
        codes = {i: draw(st.sampled_from(("y", "y", "n", "u", "s", None))) for i in ids[:6]}
        data.append(
            maker.one(
                f"c{draw(st.integers(0, 24))}",
                phase=draw(st.sampled_from(_PHASES)),
                region=draw(st.sampled_from(("mz", "pm", "op", None))),
                sector=draw(st.sampled_from(("ICT", "ict.", "Energetyka", "bursztyn", None))),
                when=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 700))),
                codes={**all_met(q), **codes},
                questionnaire_id=draw(st.sampled_from((q.id, q.id, q.id, "other"))),
            )
        )
    filters = Filters(
        phase=draw(st.sampled_from((None, None, None, *_PHASES))),
        region=draw(st.sampled_from((None, None, None, "mz"))),
        sector=draw(st.sampled_from((None, None, None, "ict"))),
        period=draw(st.sampled_from((None, None, None, "2025", "2026-Q1"))),
    )
    return data, filters


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_shown_cell_comes_from_fewer_than_five_clusters(
    content: Content, q: Questionnaire, data: st.DataObject
) -> None:
    rows, filters = data.draw(_data(q))
    result = aggregate(rows, q, content.readiness.parp_2015, filters, profile_spec=content.profile)
    for path, cell in cells(result):
        assert cell.value is None or cell.clusters >= 5, path
    # No hidden part of a split can be worked out as the shown total minus the shown parts.
    splits = [(result.clusters, [v.total for v in result.verdicts])]
    splits += [(v.total, [v.positive, v.negative, v.incomplete]) for v in result.verdicts]
    splits += [(result.clusters, [g.clusters for g in result.by_region])]
    splits += [(result.clusters, [g.clusters for g in result.by_sector])]
    for total, parts in splits:
        if total.value is not None:
            rest = total.clusters - sum(p.clusters for p in parts if p.value is not None)
            assert rest == 0 or rest >= 5


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_two_pages_a_step_apart_tell_a_few_clusters_apart(
    content: Content, q: Questionnaire, data: st.DataObject
) -> None:
    rows, filters = data.draw(_data(q))

    def page(f: Filters) -> Overview:
        return aggregate(rows, q, content.readiness.parp_2015, f, profile_spec=content.profile)

    here = page(filters)
    # The page against every page one filter wider.
    for other in wider(filters):
        there = page(other)
        if here.clusters.shown and there.clusters.shown:
            assert there.clusters.clusters - here.clusters.clusters in (0, *range(5, 10_000))
    # Every shown column, group and quarter is exactly the page one filter narrower.
    narrower = [("phase", v.phase, v.total) for v in here.verdicts]
    narrower += [("region", g.key, g.clusters) for g in here.by_region]
    narrower += [("sector", g.key, g.clusters) for g in here.by_sector]
    narrower += [("period", x.period, x.clusters) for x in here.quarters]
    for name, value, cell in narrower:
        if cell.shown:
            own = page(replace(filters, **{name: value})).clusters
            assert own.shown and own.value == cell.value, (name, value)


@pytest.mark.parametrize(
    ("n", "locale", "said"),
    [
        (5, "pl", ">5</strong>klastrów"),
        (22, "pl", ">22</strong>klastry"),
        (22, "en", ">22</strong>clusters"),
    ],
)
def test_the_page_words_agree_with_their_numbers(
    content: Content, q: Questionnaire, rows: Rows, n: int, locale: str, said: str
) -> None:
    data = rows.many(n)
    result = aggregate(data, q, content.readiness.parp_2015, profile_spec=content.profile)
    options = filter_options(data, q, content.profile)
    page = overview_page(
        result,
        Filters(),
        options,
        q,
        content.profile,
        content.readiness.parp_2015,
        content.texts,
        locale,
    )
    html = Pages(content.texts).render("overview.html", locale, page=page, lang_href="/panel")
    assert said in html
    header = "Klastry" if locale == "pl" else "Clusters"
    assert f'<th scope="col" class="num">{header}</th>' in html
