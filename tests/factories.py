"""Factories for test data: each call states only what matters to the test."""

from functools import lru_cache
from itertools import count

from werkzeug.security import generate_password_hash

from portal.accounts.models import User
from portal.extensions import db
from portal.organisations.models import Organisation

PASSWORD = "a long and quiet river 2026"
_sequence = count(1)


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    # scrypt is deliberately slow; test accounts use a cheaper work factor so that the many
    # sign-ins of the suite stay fast. Passwords set through the portal use the full cost.
    return generate_password_hash(password, method="scrypt:4096:8:1")


class Factory:
    """Creates records in their own app context and returns them detached, with their columns loaded.

    Tests must not keep an app context pushed while they make requests: Flask would reuse
    it for every request, sharing ``g`` and the database session between them.
    """

    def __init__(self, app):
        self.app = app

    def _save(self, obj):
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
        return obj

    def organisation(self, kind: str = "ministry", country: str = "HND", **fields) -> Organisation:
        n = next(_sequence)
        organisation = Organisation(
            slug=fields.pop("slug", f"org-{n}"),
            name=fields.pop("name", f"Organisation {n}"),
            kind=kind,
            country_iso3=country,
            **fields,
        )
        return self._save(organisation)

    def user(self, organisation=None, role: str = "editor", password: str = PASSWORD, **fields) -> User:
        n = next(_sequence)
        if organisation is None and not fields.get("is_site_admin"):
            organisation = self.organisation()
        user = User(
            email=fields.pop("email", f"person{n}@partner.example"),
            password_hash=_hash(password),
            organisation_id=organisation.id if organisation else None,
            role=role,
            position=fields.pop("position", "Focal point"),
            **fields,
        )
        return self._save(user)

    def admin(self, **fields) -> User:
        return self.user(organisation=None, role="viewer", is_site_admin=True, **fields)

    def commitment(self, organisation, visibility: str = "public", **fields):
        """Create a commitment of ``organisation`` through the service, as a form would."""
        from portal.commitments import service
        from portal.commitments.models import Commitment

        author = fields.pop("author", None) or self.user(organisation, role="editor")
        data = {"title": fields.pop("title", f"Commitment {next(_sequence)}"), "description": "",
                "symposium_id": None, "target_date": None, "visibility": visibility, "themes": [],
                "indicator_unit": None, "indicator_baseline": None, "indicator_target": None, **fields}
        with self.app.app_context():
            from portal.accounts.models import User

            actor = db.session.get(User, author.id)
            commitment = service.create_commitment(actor, data, None)
            db.session.commit()
            commitment_id = commitment.id
        with self.app.app_context():
            saved = db.session.get(Commitment, commitment_id)
            db.session.expunge(saved)
            return saved

    def update(self, commitment, author, status: str = "in_progress", **fields):
        """Report progress on a commitment through the service."""
        from datetime import date

        from portal.accounts.models import User
        from portal.commitments import service
        from portal.commitments.models import Commitment

        with self.app.app_context():
            data = {"reported_on": fields.pop("reported_on", date.today()), "status": status,
                    "note": fields.pop("note", "Progress."), "indicator_value": None, "evidence_url": None, **fields}
            update = service.report_progress(db.session.get(User, author.id),
                                             db.session.get(Commitment, commitment.id), data)
            db.session.commit()
            db.session.refresh(update)
            db.session.expunge(update)
            return update
