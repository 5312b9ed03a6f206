"""The page cache of the public pages: a hit costs one query, a write through the real routes shows at once
(in this worker and in another one), and nothing of a signed-in reader or another visitor leaks."""

import re
from datetime import date

import pytest
from sqlalchemy import select, text, update

from portal.extensions import db
from tests.commitments.support import browser, hidden, listed, post
from tests.helpers import Browser, csrf_from, statements


@pytest.fixture
def cached(make_app):
    """An app with the cache on (tests turn it off by default)."""
    return make_app(PAGE_CACHE_SECONDS=60)


@pytest.fixture
def people(cached):
    from tests.factories import Factory

    factory = Factory(cached)
    ministry = factory.organisation(slug="sreci", name="Cancillería de Honduras")
    return {"factory": factory, "ministry": ministry, "editor": factory.user(ministry, role="editor")}


def anonymous(app, language: str = "en") -> Browser:
    client = Browser(app)
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def total(page: str) -> int:
    return int(re.search(r"(\d+) commitments? match", page).group(1))


def test_a_hit_costs_one_query_and_the_same_page(cached, people):
    people["factory"].commitment(people["ministry"], "public", title="Guía del migrante", author=people["editor"])
    reader = anonymous(cached)
    first = reader.text("/commitments/")
    sent = [sql for sql in statements(cached, reader, "/commitments/") if sql != "BEGIN"]
    assert len(sent) == 1 and "FROM cache_generation" in sent[0]  # the generation, nothing else
    again = reader.text("/commitments/")
    assert again == first and "Guía del migrante" in again


def test_making_a_commitment_public_shows_at_once_in_the_list_and_its_page(cached, people):
    factory, ministry, editor = people["factory"], people["ministry"], people["editor"]
    factory.commitment(ministry, "public", title="Ya pública", author=editor)
    hidden_one = factory.commitment(ministry, "partners", title="Todavía interna", author=editor)
    reader = anonymous(cached)
    for _ in range(2):  # the second answer comes from the cache
        page = reader.text("/commitments/")
        assert total(page) == 1 and "Todavía interna" not in page
        assert reader.get(f"/commitments/{hidden_one.id}").status_code == 404

    owner = browser(cached, editor)
    form = owner.text(f"/commitments/{hidden_one.id}/edit")
    saved = post(owner, f"/commitments/{hidden_one.id}/edit", {
        "title_es": "Todavía interna", "description_es": "", "symposium_id": "", "visibility": "public",
        "version": hidden(form, "version")})
    assert saved.status_code == 303

    page = reader.text("/commitments/")
    assert total(page) == 2 and set(listed(page).values()) == {"Ya pública", "Todavía interna"}
    assert reader.get(f"/commitments/{hidden_one.id}").status_code == 200


def test_a_progress_report_changes_the_cached_commitment_page_and_counts(cached, people):
    commitment = people["factory"].commitment(people["ministry"], "public", title="Centros de atención",
                                              author=people["editor"])
    reader = anonymous(cached)
    for _ in range(2):
        assert "Planned" in reader.text(f"/commitments/{commitment.id}")
        assert 'status-planned">Planned</span> 1' in reader.text("/commitments/")
    owner = browser(cached, people["editor"])
    response = post(owner, f"/commitments/{commitment.id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "in_progress", "note": "Se abrieron dos centros."})
    assert response.status_code == 303
    page = reader.text(f"/commitments/{commitment.id}")
    assert "Se abrieron dos centros." in page and "In progress" in page
    assert 'status-in_progress">In progress</span> 1' in reader.text("/commitments/")


def test_a_write_in_another_worker_empties_this_workers_cache(cached, make_app, people):
    """Two apps on one database stand for two gunicorn workers, each with its own memory."""
    other_worker = make_app(PAGE_CACHE_SECONDS=60)
    from tests.factories import Factory

    reader = anonymous(cached)
    assert total(reader.text("/commitments/")) == 0
    assert total(reader.text("/commitments/")) == 0
    Factory(other_worker).commitment(people["ministry"], "public", title="Desde otro proceso",
                                     author=people["editor"])
    page = reader.text("/commitments/")
    assert total(page) == 1 and "Desde otro proceso" in page


def test_signed_in_pages_are_neither_stored_nor_served_from_the_cache(cached, people):
    factory, ministry, editor = people["factory"], people["ministry"], people["editor"]
    factory.commitment(ministry, "public", title="Para todos", author=editor)
    factory.commitment(ministry, "partners", title="Solo socios", author=editor)
    partner = browser(cached, editor)
    for _ in range(2):
        seen = partner.text("/commitments/")
        assert "Solo socios" in seen and "Sign out" in seen
    reader = anonymous(cached)
    for _ in range(2):
        page = reader.text("/commitments/")
        assert "Para todos" in page and "Solo socios" not in page and "Sign out" not in page
    seen = partner.text("/commitments/")  # the public page is cached now; the partner still gets their own
    assert "Solo socios" in seen and "Sign out" in seen
    assert partner.get("/commitments/").headers["Cache-Control"] == "no-store, private"


def test_a_first_time_reader_gets_the_page_without_a_cookie_and_in_their_language(cached, people):
    people["factory"].commitment(people["ministry"], "public", title="Guía", author=people["editor"])
    anonymous(cached).text("/commitments/")  # rendered and kept
    first = anonymous(cached)
    hit = first.get("/commitments/")
    assert hit.status_code == 200 and "Guía" in hit.get_data(as_text=True)
    assert "Set-Cookie" not in hit.headers and "csrf_token" not in hit.get_data(as_text=True)
    # The language switch on the cached page needs no session: it checks that the form came from this site.
    response = first.submit("/language", {"lang": "es", "next": "/commitments/"}, page="/commitments/")
    assert response.status_code == 303
    assert "Compromisos" in first.text("/commitments/")
    assert "Commitments" in anonymous(cached).text("/commitments/")
    assert "Compromisos" in anonymous(cached, "es").text("/commitments/")


def test_a_flash_message_is_shown_once_and_never_cached(cached, people):
    reader = anonymous(cached)
    reader.text("/commitments/")
    reader.text("/commitments/")
    with reader.session_transaction() as session:
        session["_flashes"] = [("info", "Mensaje de prueba")]
    assert "Mensaje de prueba" in reader.text("/commitments/")
    assert "Mensaje de prueba" not in reader.text("/commitments/")
    assert "Mensaje de prueba" not in anonymous(cached).text("/commitments/")


def test_every_kind_of_committing_write_moves_the_generation_and_reads_do_not(cached):
    from portal.core.cache_generations import read_generation
    from portal.organisations.models import Organisation

    def generation():
        with cached.app_context():
            value = read_generation()
            db.session.rollback()
            return value

    start = generation()
    with cached.app_context():
        db.session.add(Organisation(slug="nueva", name="Nueva", kind="ministry", country_iso3="HND"))
        db.session.commit()  # an ORM flush
    assert generation() == start + 1
    with cached.app_context():
        db.session.execute(update(Organisation).values(name="Renombrada"))
        db.session.commit()  # a Core statement through the session
        db.session.execute(text("UPDATE organisations SET acronym = 'N'"))
        db.session.commit()  # a textual one
    assert generation() == start + 3
    with cached.app_context():
        db.session.scalars(select(Organisation)).all()
        db.session.commit()  # a read, committed
        db.session.add(Organisation(slug="otra", name="Otra", kind="ministry", country_iso3="HND"))
        db.session.flush()
        db.session.rollback()  # a write rolled back, then an empty commit
        db.session.commit()
    assert generation() == start + 3


def generation(app) -> int:
    with app.app_context():
        from portal.core.cache_generations import read_generation

        value = read_generation()
        db.session.rollback()
        return value


def test_sign_ins_failed_or_not_keep_the_public_pages_cached(cached, people):
    from tests.factories import PASSWORD

    people["factory"].commitment(people["ministry"], "public", title="Guía del migrante", author=people["editor"])
    reader = anonymous(cached)
    reader.text("/commitments/")
    before = generation(cached)
    attacker, owner = Browser(cached), Browser(cached)
    for attempt in range(3):
        assert attacker.login(people["editor"].email, f"wrong password {attempt}").status_code == 200
    assert owner.login(people["editor"].email, PASSWORD).status_code == 302
    assert owner.logout().status_code == 303

    assert generation(cached) == before
    sent = [sql for sql in statements(cached, reader, "/commitments/") if sql != "BEGIN"]
    assert len(sent) == 1 and "FROM cache_generation" in sent[0]  # still a hit


def test_a_change_others_can_see_still_empties_the_caches_in_the_same_request_as_sign_in_bookkeeping(
        cached, people):
    from portal.accounts.models import FailedLogin
    from portal.commitments.models import Commitment

    commitment = people["factory"].commitment(people["ministry"], "public", title="Antes",
                                              author=people["editor"])
    reader = anonymous(cached)
    assert "Antes" in reader.text("/commitments/")
    with cached.app_context():
        db.session.add(FailedLogin(account="x" * 64, address="192.0.2.1"))
        db.session.execute(update(Commitment).where(Commitment.id == commitment.id).values(title_es="Después", title_en="Después"))
        db.session.commit()
    page = reader.text("/commitments/")
    assert "Después" in page and "Antes" not in page


def hit(app, reader, path: str) -> bool:
    """Whether ``path`` is answered from the cache: the one query that reads the generations, nothing else."""
    sent = [sql for sql in statements(app, reader, path) if sql != "BEGIN"]
    return len(sent) == 1 and "FROM cache_generation" in sent[0]


def test_a_write_in_guatemala_keeps_hondurass_pages_cached_and_changes_guatemalas_at_once(cached, people):
    factory = people["factory"]
    guatemala = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
    guatemalan = factory.user(guatemala, role="editor", email="editor@minex.example")
    honduran_item = factory.commitment(people["ministry"], "public", title="Centros de atención",
                                       author=people["editor"])
    guatemalan_item = factory.commitment(guatemala, "public", title="Albergues fronterizos", author=guatemalan)
    reader = anonymous(cached)
    honduras = ("/countries/HND", f"/commitments/{honduran_item.id}")
    for path in (*honduras, "/countries/GTM", f"/commitments/{guatemalan_item.id}", "/commitments/"):
        reader.text(path)
        assert hit(cached, reader, path), path

    response = post(browser(cached, guatemalan), f"/commitments/{guatemalan_item.id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "completed", "note": "Tres albergues abiertos."})
    assert response.status_code == 303

    assert all(hit(cached, reader, path) for path in honduras)  # Honduras's pages were kept
    for path in ("/countries/GTM", f"/commitments/{guatemalan_item.id}", "/commitments/"):
        assert not hit(cached, reader, path), path  # Guatemala's pages and the lists were dropped...
    assert "Tres albergues abiertos." in reader.text(f"/commitments/{guatemalan_item.id}")
    assert 'status-completed">Completed</span> 1' in reader.text("/commitments/")  # ...and show the report
    country = reader.text("/countries/GTM")
    assert "Albergues fronterizos" in country and "Completed" in country


def test_a_write_every_page_may_show_still_drops_every_page(cached, people):
    from portal.organisations.models import Organisation

    item = people["factory"].commitment(people["ministry"], "public", title="Centros de atención",
                                        author=people["editor"])
    reader = anonymous(cached)
    for path in ("/countries/HND", f"/commitments/{item.id}"):
        reader.text(path)
        assert hit(cached, reader, path)
    with cached.app_context():
        db.session.get(Organisation, people["ministry"].id).name = "Secretaría de Relaciones Exteriores"
        db.session.commit()
    for path in ("/countries/HND", f"/commitments/{item.id}"):
        assert not hit(cached, reader, path)
        assert "Secretaría de Relaciones Exteriores" in reader.text(path)


def test_a_reader_who_has_the_page_gets_304_until_it_changes(cached, people):
    item = people["factory"].commitment(people["ministry"], "public", title="Centros de atención",
                                        author=people["editor"])
    reader = anonymous(cached)
    first = reader.get("/commitments/")
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"  # its language follows the reader
    again = reader.get("/commitments/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    stranger = anonymous(cached).get("/commitments/", headers={"If-None-Match": first.headers["ETag"]})
    assert stranger.status_code == 304  # the same page for every reader of the same language
    spanish = anonymous(cached, "es").get("/commitments/", headers={"If-None-Match": first.headers["ETag"]})
    assert spanish.status_code == 200 and b"Compromisos" in spanish.data
    reported = post(browser(cached, people["editor"]), f"/commitments/{item.id}/updates/new", {
        "reported_on": date.today().isoformat(), "status": "completed", "note": "Los tres centros están abiertos."})
    assert reported.status_code == 303
    changed = reader.get("/commitments/", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and b"Completed" in changed.data
