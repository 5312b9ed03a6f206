"""Helpers for the joint-action tests: build actions through the services, read pages, count statements."""

import io
import re
from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.commitments.models import Commitment
from portal.core.uploads import save_upload
from portal.extensions import db
from portal.joint_actions import service
from portal.joint_actions.models import JointAction, Party
from tests.commitments.support import (  # noqa: F401  (re-exported for the joint-action tests)
    browser,
    count,
    fetch,
    hidden,
    is_login_redirect,
    load,
    post,
    status_counts,
    token,
)

ITEM_TITLE = re.compile(r'<h2 class="item-title"><a href="/actions/(\d+)">')


def listed(page: str) -> list[int]:
    """The ids of the joint actions listed on a list or corridor page, in order."""
    return [int(action_id) for action_id in ITEM_TITLE.findall(page)]


def actor(user):
    return db.session.get(User, user.id)


class Actions:
    """Builds joint actions as the portal's services would, each call in its own app context."""

    def __init__(self, app, cast):
        self.app = app
        self.cast = cast

    def create(self, visibility: str = "public", lead: str = "lead_editor", **fields) -> int:
        """A joint action led by ``lead``'s organisation; returns its id."""
        # "title" gives the same text in both languages; title_es and title_en set them apart.
        title = fields.pop("title", f"Acción conjunta {visibility}")
        data = {"title_es": title, "title_en": title, "visibility": visibility, "themes": [], **fields}
        with self.app.app_context():
            action = service.create_action(actor(self.cast[lead]), data)
            db.session.commit()
            return action.id

    def propose(self, action_id: int, organisation: str, answer: str | None = "accept", role: str = "partner",
                deliverable: str = "Su parte.", by: str = "lead_editor", **fields) -> int:
        """Propose ``organisation`` as a partner and let its editor accept or decline (or not answer); return the party id."""
        with self.app.app_context():
            action = db.session.get(JointAction, action_id)
            party = service.propose_partner(actor(self.cast[by]), action, {
                "organisation_id": self.cast[organisation].id, "role": role, "deliverable_es": deliverable, **fields})
            if answer:
                editor = next(user for key, user in self.cast.items()
                              if key.endswith("_editor") and getattr(user, "organisation_id", None) == party.organisation_id)
                service.respond(actor(editor), party, answer == "accept")
            db.session.commit()
            return party.id

    def report(self, party_id: int, author: str, status: str = "in_progress", evidence: bytes | None = None,
               **fields) -> int:
        """A progress update on a party's share, with an evidence file stored like an upload if given; returns its id."""
        data = {"reported_on": fields.pop("reported_on", date.today()), "status": status,
                "note": fields.pop("note", "Avance."), "evidence_url": None, **fields}
        with self.app.app_context():
            person = actor(self.cast[author])
            attachment = None
            if evidence is not None:
                attachment = save_upload(FileStorage(io.BytesIO(evidence), filename="informe.pdf"), person,
                                         person.organisation_id)
            update = service.report_party_progress(person, db.session.get(Party, party_id), data, attachment)
            db.session.commit()
            return update.id

    def link(self, action_id: int, commitment_id: int, by: str = "lead_editor") -> None:
        with self.app.app_context():
            service.link_commitment(actor(self.cast[by]), db.session.get(JointAction, action_id),
                                    db.session.get(Commitment, commitment_id))
            db.session.commit()

    def plan(self, action_id: int, countries=(("HND", "origin"), ("MEX", "transit")), milestones=("Primer paso",),
             by: str = "lead_editor") -> None:
        """Add countries with their roles and milestones to the action."""
        with self.app.app_context():
            action = db.session.get(JointAction, action_id)
            for iso3, role in countries:
                service.add_country(actor(self.cast[by]), action, iso3, role)
            for title in milestones:
                service.add_milestone(actor(self.cast[by]), action, {"title_es": title, "title_en": title})
            db.session.commit()

    def lead_party(self, action_id: int) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Party.id).where(Party.action_id == action_id, Party.role == "lead"))

    def load(self, action_id: int) -> JointAction:
        """A fresh copy of the action with its parties, countries and milestones, detached."""
        with self.app.app_context():
            action = db.session.get(JointAction, action_id)
            for party in action.parties:
                _ = party.organisation
            db.session.expunge_all()
            return action

