"""After approval every change is a new revision with a reason; any two revisions compare as a line diff."""

from portal.extensions import db
from portal.minutes.diff import line_diff
from portal.minutes.models import Minutes
from tests.minutes.support import hidden, signed_in


def revise(browser, minutes_id, **changes):
    url = f"/minutes/{minutes_id}/revise"
    page = browser.text(url)
    data = {"title": "Reunión de seguimiento", "body": "Se revisaron los compromisos.",
            "decisions": "Reunirse cada trimestre.", "visibility": "partners", "reason": "Corrección.",
            "version": hidden(page, "version"), **changes}
    return browser.submit(url, data, headers={"Accept-Language": "en"})


def test_each_change_is_a_new_revision_and_every_revision_is_kept(app, cast, make_minutes):
    minutes_id = make_minutes("approved", body="Línea uno\nLínea dos\nLínea tres")
    author = signed_in(app, cast["author_editor"])
    assert revise(author, minutes_id, body="Línea uno\nLínea 2\nLínea tres",
                  reason="Cifra corregida en la reunión siguiente.").status_code == 303
    assert revise(author, minutes_id, body="Línea uno\nLínea 2\nLínea tres\nLínea cuatro", title="Acta corregida",
                  visibility="public", reason="Se agrega un acuerdo.").status_code == 303
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.status == "approved" and minutes.title == "Acta corregida" and minutes.visibility == "public"
        assert minutes.body.endswith("Línea cuatro")
        assert [(r.number, r.reason) for r in minutes.revisions] == [
            (1, ""), (2, "Cifra corregida en la reunión siguiente."), (3, "Se agrega un acuerdo.")]
        assert minutes.revisions[0].body == "Línea uno\nLínea dos\nLínea tres"
    public = signed_in(app, None)
    listing = public.text(f"/minutes/{minutes_id}/revisions", headers={"Accept-Language": "en"})
    assert "Cifra corregida en la reunión siguiente." in listing and "Revision 3" in listing
    assert "Línea dos" in public.text(f"/minutes/{minutes_id}/revisions/1")

    diff = public.text(f"/minutes/{minutes_id}/compare?old=1&new=3", headers={"Accept-Language": "en"})
    assert "<del>Línea dos</del>" in diff and "<ins>Línea 2</ins>" in diff and "<ins>Línea cuatro</ins>" in diff
    assert "<del>Reunión de seguimiento</del>" in diff and "<ins>Acta corregida</ins>" in diff
    # Any two, in either order.
    backwards = public.text(f"/minutes/{minutes_id}/compare?old=3&new=2")
    assert "<del>Línea cuatro</del>" in backwards


def test_a_revision_needs_a_reason_and_a_change(app, cast, make_minutes):
    minutes_id = make_minutes("approved")
    author = signed_in(app, cast["author_editor"])
    no_reason = revise(author, minutes_id, body="Otro texto", reason="  ")
    assert no_reason.status_code == 200 and "Say why the approved minutes change." in no_reason.get_data(as_text=True)
    assert "Otro texto" in no_reason.get_data(as_text=True)
    unchanged = revise(author, minutes_id, reason="Sin cambios")
    assert unchanged.status_code == 200 and "Nothing has changed" in unchanged.get_data(as_text=True)
    # Browsers send line breaks as CRLF: the same text sent back is still unchanged.
    with app.app_context():
        db.session.get(Minutes, minutes_id).body = "Uno\nDos"
        db.session.commit()
    crlf = revise(author, minutes_id, body="Uno\r\nDos", reason="Sin cambios")
    assert crlf.status_code == 200 and "Nothing has changed" in crlf.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(Minutes, minutes_id).revisions) == 1


def test_two_editors_revising_at_once_keep_both_texts(app, cast, make_minutes):
    minutes_id = make_minutes("approved")
    first, second = signed_in(app, cast["author_editor"]), signed_in(app, cast["author_editor_2"])
    url = f"/minutes/{minutes_id}/revise"
    first_version, second_version = hidden(first.text(url), "version"), hidden(second.text(url), "version")
    base = {"title": "Reunión de seguimiento", "decisions": "", "visibility": "partners"}
    assert first.submit(url, {**base, "body": "Texto de la primera", "reason": "Una", "version": first_version}
                        ).status_code == 303
    refused = second.submit(url, {**base, "body": "Texto de la segunda", "reason": "Otra", "version": second_version},
                            headers={"Accept-Language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Texto de la segunda" in html and "<del>Texto de la primera</del>" in html
    with app.app_context():
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.body == "Texto de la primera" and len(minutes.revisions) == 2


def test_unknown_revision_numbers_ask_again(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public")
    page = signed_in(app, None).get(f"/minutes/{minutes_id}/compare?old=1&new=7", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Choose one of the revisions listed." in page.get_data(as_text=True)
    for query in ("old=x&new=1", "old=&new=", "old=99999999999999999999&new=1", "old=1&old=2&new=1"):
        assert signed_in(app, None).get(f"/minutes/{minutes_id}/compare?{query}").status_code == 200, query


def test_the_diff_shows_markup_as_text(app, cast, make_minutes):
    minutes_id = make_minutes("approved", visibility="public", body="Inicio")
    author = signed_in(app, cast["author_editor"])
    assert revise(author, minutes_id, body='Inicio\n<script>alert(1)</script>\n<img src=x onerror="alert(1)">',
                  visibility="public").status_code == 303
    html = signed_in(app, None).text(f"/minutes/{minutes_id}/compare?old=1&new=2")
    assert "<script>alert(1)</script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_line_diff_with_context_and_gaps():
    old = "\n".join(f"línea {n}" for n in range(1, 21))
    new = old.replace("línea 10", "línea diez")
    lines = line_diff(old, new)
    kinds = [line.kind for line in lines]
    assert kinds == ["gap", "equal", "equal", "equal", "delete", "insert", "equal", "equal", "equal", "gap"]
    deleted = next(line for line in lines if line.kind == "delete")
    inserted = next(line for line in lines if line.kind == "insert")
    assert (deleted.old_number, deleted.new_number, deleted.text) == (10, None, "línea 10")
    assert (inserted.old_number, inserted.new_number, inserted.text) == (None, 10, "línea diez")
    assert line_diff("igual", "igual") == []
    assert [line.kind for line in line_diff("", "a\nb")] == ["insert", "insert"]
    assert [line.kind for line in line_diff(None, "a")] == ["insert"]
