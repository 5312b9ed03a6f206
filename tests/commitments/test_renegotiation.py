"""Renegotiated deadlines: changing a target date or a target already set asks why and where it was
agreed, keeps every change, and lists and scorecards count renegotiated commitments apart."""

import re
from datetime import date, timedelta
from decimal import Decimal

from portal.commitments.models import Commitment, ScheduleChange
from tests.commitments.support import browser, count, hidden, listed, load, post
from tests.helpers import translated

FIRST = date.today() + timedelta(days=60)
LATER = date.today() + timedelta(days=150)


def edit(client, commitment_id: int, **fields):
    """Send the edit form of a commitment as its page offers it, with ``fields`` changed."""
    page = client.text(f"/commitments/{commitment_id}/edit")
    data = {"title_es": re.search(r'name="title_es"[^>]*value="([^"]*)"', page).group(1), "description_es": "",
            "symposium_id": "", "visibility": "public", "version": hidden(page, "version"),
            "target_date": FIRST.isoformat(), "indicator_unit": "", **fields}
    return post(client, f"/commitments/{commitment_id}/edit", data)


def test_moving_a_target_date_needs_a_reason_and_a_place_and_changes_nothing_without(app, cast, factory):
    commitment = factory.commitment(cast["owner"], target_date=FIRST, author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    refused = edit(client, commitment.id, target_date=LATER.isoformat(), change_reason="  ")
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Say why the target date or target changes." in page and "Say where the change was agreed." in page
    assert LATER.isoformat() in page  # what was typed is kept
    assert load(app, Commitment, commitment.id).target_date == FIRST
    assert count(app, ScheduleChange) == 0


def test_a_renegotiated_date_is_kept_with_its_reason_and_shown_beside_the_original(app, cast, factory):
    symposium = factory.symposium(title="Segundo simposio de seguimiento")
    commitment = factory.commitment(cast["owner"], target_date=FIRST, title="Guía del migrante",
                                    author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    saved = edit(client, commitment.id, target_date=LATER.isoformat(),
                 change_reason="La imprenta entregó tarde", agreed_at=f"symposium:{symposium.id}")
    assert saved.status_code == 303
    stored = load(app, Commitment, commitment.id)
    assert stored.target_date == LATER and stored.is_renegotiated
    page = browser(app).text(f"/commitments/{commitment.id}")  # the public reads it too
    assert "Renegotiated" in page and "Deadline history" in page and "La imprenta entregó tarde" in page
    assert "Original target date" in page and "Segundo simposio de seguimiento" in page
    assert FIRST.strftime("%B") in page and LATER.strftime("%B") in page

    # A second change keeps both, and the original stays the first date.
    edit(client, commitment.id, target_date=(LATER + timedelta(days=30)).isoformat(),
         change_reason="Nueva licitación", agreed_at="partners")
    page = browser(app).text(f"/commitments/{commitment.id}")
    assert count(app, ScheduleChange) == 2 and "Nueva licitación" in page and "Between the partners" in page


def test_setting_a_first_date_or_keeping_it_is_no_renegotiation(app, cast, factory):
    commitment = factory.commitment(cast["owner"], author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    assert edit(client, commitment.id).status_code == 303  # the first target date
    assert edit(client, commitment.id, title="Otro título").status_code == 303  # same date
    assert count(app, ScheduleChange) == 0 and not load(app, Commitment, commitment.id).is_renegotiated


def test_changing_a_target_already_set_is_a_renegotiation(app, cast, factory):
    commitment = factory.commitment(cast["owner"], target_date=FIRST, indicator_unit="copias",
                                    indicator_baseline=Decimal(0), indicator_target=Decimal(1000),
                                    author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    same = edit(client, commitment.id, indicator_unit="copias", indicator_baseline="0", indicator_target="1000.0")
    assert same.status_code == 303 and count(app, ScheduleChange) == 0
    refused = edit(client, commitment.id, indicator_unit="copias", indicator_baseline="0", indicator_target="800")
    assert refused.status_code == 200 and load(app, Commitment, commitment.id).indicator_target == 1000
    edit(client, commitment.id, indicator_unit="copias", indicator_baseline="0", indicator_target="800",
         change_reason="Presupuesto reducido", agreed_at="partners")
    with app.app_context():
        from portal.extensions import db

        change = db.session.query(ScheduleChange).one()
        assert (change.field, change.old_value, change.new_value) == ("indicator_target", "1000", "800")


def test_a_place_of_agreement_not_offered_is_refused(app, cast, factory):
    commitment = factory.commitment(cast["owner"], target_date=FIRST, author=cast["owner_editor"])
    client = browser(app, cast["owner_editor"])
    refused = edit(client, commitment.id, target_date=LATER.isoformat(), change_reason="Motivo",
                   agreed_at="minutes:999")
    assert refused.status_code == 200 and load(app, Commitment, commitment.id).target_date == FIRST


def test_the_list_filters_and_the_scorecard_counts_renegotiated_commitments(app, cast, factory):
    symposium = factory.symposium(title="Simposio de Tegucigalpa")
    moved = factory.commitment(cast["owner"], target_date=FIRST, title="Movida", symposium_id=symposium.id,
                               author=cast["owner_editor"])
    factory.commitment(cast["owner"], target_date=FIRST, title="A tiempo", symposium_id=symposium.id,
                       author=cast["owner_editor"])
    edit(browser(app, cast["owner_editor"]), moved.id, symposium_id=str(symposium.id),
         target_date=LATER.isoformat(), change_reason="Motivo", agreed_at="partners")
    reader = browser(app)
    assert set(listed(reader.text("/commitments/?flag=renegotiated")).values()) == {"Movida"}
    page = reader.text(f"/symposia/{symposium.slug}")
    assert re.search(r"On their original schedule\s*1;", page)
    assert re.search(r'flag-renegotiated">Renegotiated</span>\s*1 \(50 %\)', page)
    spanish = browser(app, language="es").text(f"/symposia/{symposium.slug}")
    assert translated(app, "Renegotiated", "es") in spanish
