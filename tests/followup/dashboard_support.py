"""A small world for the dashboard and reminder tests: our ministry, another one, an IOM office, their staff,
and builders that make each kind of item through the portal's own services."""

import re
from datetime import date, datetime, timedelta, timezone

from portal.accounts.models import User
from portal.commitments.models import Commitment
from portal.extensions import db
from portal.followup.requests import request_update
from portal.joint_actions import service as actions
from portal.joint_actions.models import JointAction, Party
from portal.minutes import service as minutes_service
from portal.minutes.models import Minutes


def portal_today(app) -> date:
    """The portal's today (Tegucigalpa), which may differ from the machine's."""
    from portal.core.clock import local_today

    with app.app_context():
        return local_today()


def section(page: str, section_id: str) -> str:
    """The HTML of one section of the dashboard."""
    match = re.search(rf'<section aria-labelledby="{section_id}-heading" id="{section_id}">(.*?)</section>', page,
                      re.DOTALL)
    assert match, f"no section {section_id}"
    return match.group(1)


class Scene:
    """Our ministry (editor, viewer), another ministry (editor) and an IOM office (editor)."""

    def __init__(self, app, factory):
        self.app, self.factory = app, factory
        self.today = portal_today(app)
        self.ours = factory.organisation(slug="sreci", name="Cancillería de Honduras",
                                         name_en="Foreign Ministry of Honduras")
        self.other = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
        self.iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
        self.editor = factory.user(self.ours, role="editor", email="editor@sreci.example")
        self.viewer = factory.user(self.ours, role="viewer", email="viewer@sreci.example")
        self.other_editor = factory.user(self.other, role="editor", email="editor@minex.example")
        self.iom_editor = factory.user(self.iom, role="editor", email="editor@oim.example")

    def editor_of(self, organisation):
        return {self.ours.id: self.editor, self.other.id: self.other_editor, self.iom.id: self.iom_editor}[
            organisation.id]

    def commitment(self, organisation, title: str, visibility: str = "partners", target: date | None = None,
                   age_days: int = 0) -> Commitment:
        """A commitment created ``age_days`` ago (never reported), with a target date if given."""
        commitment = self.factory.commitment(organisation, visibility, author=self.editor_of(organisation),
                                             title=title, target_date=target)
        if age_days:
            created = datetime.now(timezone.utc) - timedelta(days=age_days)
            self.factory.change(commitment, created_at=created)
        return commitment

    def questioned(self, organisation, title: str, visibility: str = "partners") -> Commitment:
        """A commitment whose latest update IOM questioned."""
        commitment = self.commitment(organisation, title, visibility)
        update = self.factory.update(commitment, self.editor_of(organisation))
        self.factory.review(update, self.iom_editor, "questioned", "¿Con qué cifras?")
        return commitment

    def action(self, lead, title: str, visibility: str = "partners", end: date | None = None) -> int:
        with self.app.app_context():
            action = actions.create_action(db.session.get(User, self.editor_of(lead).id),
                                           {"title_es": title, "title_en": title, "visibility": visibility, "end_date": end,
                                            "themes": []})
            db.session.commit()
            return action.id

    def party(self, action_id: int, organisation, accept: bool = True, due: date | None = None) -> int:
        """Propose ``organisation`` on the action (by its lead) and let it accept, unless ``accept`` is False."""
        with self.app.app_context():
            action = db.session.get(JointAction, action_id)
            lead = next(user for user in (self.editor, self.other_editor, self.iom_editor)
                        if user.organisation_id == action.lead_organisation_id)
            party = actions.propose_partner(db.session.get(User, lead.id), action, {
                "organisation_id": organisation.id, "role": "partner", "deliverable_es": "Su parte.",
                "deliverable_due": due})
            if accept:
                actions.respond(db.session.get(User, self.editor_of(organisation).id), party, True)
            db.session.commit()
            return party.id

    def minutes(self, author, title: str, attendees=(), circulate: bool = True) -> int:
        with self.app.app_context():
            actor = db.session.get(User, self.editor_of(author).id)
            minutes = minutes_service.create_minutes(actor, {
                "title": title, "symposium_id": None, "meeting_date": self.today - timedelta(days=5), "place": "Tegucigalpa",
                "is_virtual": False, "attendees": [org.id for org in attendees], "visibility": "partners",
                "body": "Se revisaron los compromisos.", "decisions": ""})
            if circulate:
                minutes_service.circulate(actor, minutes)
            db.session.commit()
            return minutes.id

    def endorse(self, minutes_id: int, organisation) -> None:
        with self.app.app_context():
            minutes_service.endorse(db.session.get(User, self.editor_of(organisation).id),
                                    db.session.get(Minutes, minutes_id))
            db.session.commit()

    def request(self, subject, due: date, message: str = "Envíen el informe trimestral.") -> int:
        """IOM asks for an update on a commitment or a party (given as a Commitment or a party id)."""
        with self.app.app_context():
            target = db.session.get(Commitment, subject.id) if isinstance(subject, Commitment) else \
                db.session.get(Party, subject)
            request = request_update(db.session.get(User, self.iom_editor.id), target,
                                     {"message": message, "due_date": due})
            db.session.commit()
            return request.id
