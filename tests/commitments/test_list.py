"""The commitments list: follow-up flags, filters, search by words, sorting, pagination and counts."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from tests.commitments.support import browser, listed, portal_today, status_counts

MATCHES = re.compile(r"(\d+) commitments? match")


def items(page: str) -> dict[int, str]:
    """Each listed commitment's block of HTML, by id."""
    blocks = re.findall(r'<li class="item">(.*?)</li>\s*(?=<li class="item">|</ol>)', page, re.DOTALL)
    return {int(re.search(r'href="/commitments/(\d+)"', block).group(1)): block for block in blocks}


def days_ago(app, days: int) -> datetime:
    return datetime.combine(portal_today(app) - timedelta(days=days), time(12), tzinfo=UTC)


@pytest.fixture
def owner_editor(cast):
    return cast["owner_editor"]


def test_overdue_commitments_are_flagged_and_filterable(app, cast, factory, owner_editor):
    def make(title, target, status=None):
        commitment = factory.commitment(cast["owner"], author=owner_editor, title=title, target_date=target)
        if status:
            factory.update(commitment, owner_editor, status=status,
                           note="Closed, as the minutes of the follow-up meeting record in detail.")
        return commitment

    today = portal_today(app)
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    overdue = [make("Late", yesterday), make("Late and stalled", yesterday, "stalled")]
    fine = [make("Due tomorrow", tomorrow), make("No date", None), make("Late but done", yesterday, "completed"),
            make("Late but cancelled", yesterday, "cancelled")]
    page = browser(app).text("/commitments/")
    blocks = items(page)
    assert {c.id for c in overdue + fine} == set(blocks)
    assert {cid for cid, block in blocks.items() if "flag-overdue" in block} == {c.id for c in overdue}
    assert set(listed(browser(app).text("/commitments/?flag=overdue"))) == {c.id for c in overdue}
    detail = browser(app).text(f"/commitments/{overdue[0].id}")
    assert "flag-overdue" in detail and "Overdue" in detail


def test_unreported_commitments_are_flagged_and_filterable(app, cast, factory, owner_editor):
    def make(title, created_days_ago, reported_days_ago=None, status="in_progress"):
        commitment = factory.commitment(cast["owner"], author=owner_editor, title=title)
        factory.change(commitment, created_at=days_ago(app, created_days_ago))
        if reported_days_ago is not None:
            factory.update(commitment, owner_editor, status=status, note="Reported long enough ago to matter here.",
                           reported_on=portal_today(app) - timedelta(days=reported_days_ago))
        return commitment

    unreported = [make("Never reported", 100), make("Reported 95 days ago", 200, 95),
                  make("Exactly 90 days", 200, 90)]
    reported = [make("Reported 10 days ago", 200, 10), make("Reported 89 days ago", 200, 89),
                make("New and quiet", 20), make("Old but completed", 300, 200, "completed")]
    client = browser(app)
    blocks = items(client.text("/commitments/"))
    flagged = {cid for cid, block in blocks.items() if "flag-unreported" in block}
    assert flagged == {c.id for c in unreported}
    assert set(listed(client.text("/commitments/?flag=unreported"))) == {c.id for c in unreported}
    assert "flag-unreported" in client.text(f"/commitments/{unreported[0].id}")
    assert "flag-unreported" not in client.text(f"/commitments/{reported[0].id}")


def test_filters_by_country_organisation_symposium_theme_and_status(app, cast, factory, owner_editor):
    themes = factory.theme_ids()
    tegucigalpa, guatemala = factory.symposium(title="Tegucigalpa"), factory.symposium(title="Guatemala")
    honduran = factory.commitment(cast["owner"], author=owner_editor, symposium_id=tegucigalpa.id,
                                  themes=[themes["consular_protection"]])
    guatemalan = factory.commitment(cast["other"], author=cast["other_editor"], symposium_id=guatemala.id,
                                    themes=[themes["safe_return"], themes["consular_protection"]])
    stalled = factory.commitment(cast["other"], author=cast["other_editor"], themes=[themes["reintegration"]])
    factory.update(stalled, cast["other_editor"], status="stalled")
    client = browser(app)
    expectations = {
        "country=HND": {honduran}, "country=gtm": {guatemalan, stalled},
        f"organisation={cast['other'].id}": {guatemalan, stalled},
        f"symposium={tegucigalpa.id}": {honduran}, f"symposium={guatemala.id}": {guatemalan},
        f"theme={themes['consular_protection']}": {honduran, guatemalan}, f"theme={themes['reintegration']}": {stalled},
        "status=stalled": {stalled}, "status=planned": {honduran, guatemalan},
        f"country=GTM&theme={themes['consular_protection']}": {guatemalan},
        "country=MEX": set(),
    }
    for query, wanted in expectations.items():
        assert set(listed(client.text(f"/commitments/?{query}"))) == {c.id for c in wanted}, query


def test_unknown_filter_values_are_ignored_not_errors(app, cast, factory, owner_editor):
    commitment = factory.commitment(cast["owner"], author=owner_editor)
    client = browser(app)
    for query in ("organisation=abc", "theme=99999999999999", "country=H1N", "flag=bogus", "sort=bogus",
                  "page=-3", "page=abc", "symposium=1e9", "q=" + "x" * 500, "status=bogus"):
        response = client.get(f"/commitments/?{query}")
        assert response.status_code == 200, query
        assert commitment.id in listed(response.get_data(as_text=True)), query


def test_search_reads_words_and_treats_punctuation_as_a_separator(app, cast, factory, owner_editor):
    """The box searches words (see tests/commitments/test_search.py); %, _ and \\ are no wildcards or escapes."""
    titles = ["Meta 100% cumplida", "Meta 2000 cumplida", "plan_a de retorno", "planXa de retorno",
              "Ruta C:\\retorno", "Mesa intersectorial"]
    made = {title: factory.commitment(cast["owner"], author=owner_editor, title=title).id for title in titles}
    factory.commitment(cast["owner"], author=owner_editor, title="Protocolo", description="Cubre el 50% de casos")
    client = browser(app)

    def found(q):
        from urllib.parse import quote

        return {title for title, cid in made.items() if cid in listed(client.text(f"/commitments/?q={quote(q)}"))}

    assert found("100%") == {"Meta 100% cumplida"}
    assert found("%") == set() and found("_") == set() and found("\\") == set()
    assert found("plan_a") == {"plan_a de retorno"}
    assert found("C:\\retorno") == {"Ruta C:\\retorno"}
    assert found("MESA inter") == {"Mesa intersectorial"}
    assert len(listed(client.text("/commitments/?q=50%25"))) == 1, "the description is searched too"


def test_sorting_by_title_target_date_and_recent_change(app, cast, factory, owner_editor):
    today = portal_today(app)
    b = factory.commitment(cast["owner"], author=owner_editor, title="Beta", target_date=today + timedelta(days=30))
    a = factory.commitment(cast["owner"], author=owner_editor, title="Alfa", target_date=None)
    c = factory.commitment(cast["owner"], author=owner_editor, title="Gamma", target_date=today + timedelta(days=5))
    factory.change(b, updated_at=days_ago(app, 3))
    factory.change(a, updated_at=days_ago(app, 2))
    factory.change(c, updated_at=days_ago(app, 1))
    client = browser(app)
    assert list(listed(client.text("/commitments/?sort=title"))) == [a.id, b.id, c.id]
    assert list(listed(client.text("/commitments/?sort=target"))) == [c.id, b.id, a.id]
    assert list(listed(client.text("/commitments/"))) == [c.id, a.id, b.id]
    factory.update(b, owner_editor)
    assert next(iter(listed(client.text("/commitments/?sort=recent")))) == b.id


def test_pagination_keeps_the_filters(app, cast, factory, owner_editor):
    ids = factory.bulk_commitments(cast["owner"], owner_editor, 30, status="stalled")
    factory.bulk_commitments(cast["owner"], owner_editor, 3, status="planned")
    client = browser(app)
    first = client.text("/commitments/?status=stalled&sort=title")
    assert len(listed(first)) == 25 and MATCHES.search(first).group(1) == "30"
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "status=stalled" in next_link and "sort=title" in next_link and "page=2" in next_link
    second = client.text(next_link)
    assert len(listed(second)) == 5 and 'rel="prev"' in second and 'rel="next"' not in second
    assert set(listed(first)) | set(listed(second)) == set(ids)
    assert listed(client.text("/commitments/?status=stalled&page=9")) == {}


def test_counts_per_status_follow_the_current_filter(app, cast, factory, owner_editor):
    for status, number in (("in_progress", 2), ("stalled", 1)):
        for _ in range(number):
            factory.update(factory.commitment(cast["other"], author=cast["other_editor"]), cast["other_editor"],
                           status=status)
    factory.commitment(cast["owner"], author=owner_editor)
    hidden = factory.commitment(cast["other"], "parties", author=cast["other_editor"])
    factory.update(hidden, cast["other_editor"], status="stalled")
    archived = factory.commitment(cast["other"], author=cast["other_editor"])
    factory.change(archived, is_archived=True)
    client = browser(app, cast["iom_editor"])
    everything = client.text("/commitments/")
    assert {k: v for k, v in status_counts(everything).items() if v} == {"planned": 1, "in_progress": 2, "stalled": 1}
    assert MATCHES.search(everything).group(1) == "4"
    guatemala = client.text("/commitments/?country=GTM")
    assert {k: v for k, v in status_counts(guatemala).items() if v} == {"in_progress": 2, "stalled": 1}
    # Choosing a status narrows the list, while the counts still show the spread of the other filters.
    narrowed = client.text("/commitments/?country=GTM&status=stalled")
    assert status_counts(narrowed) == status_counts(guatemala)
    assert MATCHES.search(narrowed).group(1) == "1" and len(listed(narrowed)) == 1
