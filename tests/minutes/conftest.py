"""The people of the minutes tests and a helper that builds minutes in any workflow state.

The author is the Honduran foreign ministry; the Mexican embassy and the Guatemalan ministry attended
the meeting; the Salvadoran ministry and the IOM office did not.
"""

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.core.uploads import save_upload
from portal.extensions import db
from portal.minutes import service
from portal.minutes.models import Minutes
from tests.core import samples

STATES = ["draft", "circulated", "approved"]


@pytest.fixture
def cast(factory):
    """Everyone who may come to minutes of the author ministry, keyed by the name used in the tests."""
    author = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    attending = factory.organisation(kind="embassy", slug="embamex", name="Embajada de México", country="MEX",
                                     host_country_iso3="HND")
    attending_b = factory.organisation(slug="minex", name="Ministerio de Relaciones Exteriores de Guatemala",
                                       country="GTM")
    outsider = factory.organisation(slug="rree", name="Ministerio de Relaciones Exteriores de El Salvador",
                                    country="SLV")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
    return {
        "author": author, "attending": attending, "attending_b": attending_b, "outsider": outsider, "iom": iom,
        "author_editor": factory.user(author, role="editor", email="editor@sreci.example"),
        "author_editor_2": factory.user(author, role="org_admin", email="chief@sreci.example"),
        "author_viewer": factory.user(author, role="viewer", email="viewer@sreci.example"),
        "attending_editor": factory.user(attending, role="editor", email="editor@embamex.example"),
        "attending_editor_2": factory.user(attending, role="editor", email="consul@embamex.example"),
        "attending_viewer": factory.user(attending, role="viewer", email="viewer@embamex.example"),
        "attending_b_editor": factory.user(attending_b, role="editor", email="editor@minex.example"),
        "outsider_editor": factory.user(outsider, role="editor", email="editor@rree.example"),
        "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }


def minutes_data(**fields) -> dict:
    """Valid data for the minutes service, as the form would give it."""
    return {"title": "Reunión de seguimiento", "symposium_id": None, "meeting_date": date(2026, 3, 10),
            "place": "Tegucigalpa", "is_virtual": False, "attendees": [], "visibility": "partners",
            "body": "Se revisaron los compromisos.", "decisions": "Reunirse cada trimestre.", **fields}


@pytest.fixture
def make_minutes(app, cast):
    """Build minutes of the author ministry, attended by the embassy and the Guatemalan ministry.

    ``state`` is draft, circulated or approved; ``items`` a list of (description, responsible org key), the
    description a text or each language's ({"description_en": ...});
    ``endorsed_by`` the keys of users whose organisations endorse while circulated. Returns the id.
    """

    def build(state: str = "draft", visibility: str = "partners", items=(), endorsed_by=(), author="author_editor",
              with_file: bool = False, **fields) -> int:
        with app.app_context():
            actor = db.session.get(User, cast[author].id)
            data = minutes_data(visibility=visibility, attendees=[cast["attending"].id, cast["attending_b"].id],
                                **fields)
            minutes = service.create_minutes(actor, data)
            for description, responsible in items:
                # A text is the same in both languages, so that a test in either reads it as written in its own;
                # {"description_es": ..., "description_en": ...} sets them apart.
                texts = description if isinstance(description, dict) else \
                    {"description_es": description, "description_en": description}
                service.add_action_item(actor, minutes, {**texts, "due_date": date(2026, 12, 1),
                                                         "responsible_organisation_id": cast[responsible].id})
            if with_file:
                upload = FileStorage(io.BytesIO(samples.pdf()), filename="acta-firmada.pdf")
                service.attach_file(actor, minutes, save_upload(upload, actor, actor.organisation_id))
            if state in ("circulated", "approved"):
                service.circulate(actor, minutes)
                for key in endorsed_by:
                    service.endorse(db.session.get(User, cast[key].id), minutes)
            if state == "approved":
                service.approve(actor, minutes)
            db.session.commit()
            return minutes.id

    return build


@pytest.fixture
def load(app):
    """Read minutes back from the database (detached, with their related rows loaded)."""

    def get(minutes_id: int) -> Minutes:
        with app.app_context():
            minutes = db.session.get(Minutes, minutes_id)
            for relation in ("attendees", "endorsements", "comments", "action_items", "revisions", "attachments"):
                getattr(minutes, relation)
            db.session.expunge_all()
            return minutes

    return get
