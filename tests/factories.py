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
        # "title" and "description" give the same text in both languages, so that a test in either reads it
        # as written in its own; title_es, title_en, description_es and description_en set them apart.
        title = fields.pop("title", f"Commitment {next(_sequence)}")
        description = fields.pop("description", "")
        data = {"title_es": title, "title_en": title, "description_es": description, "description_en": description,
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
        from portal.commitments.models import Commitment
        from portal.progress import service

        with self.app.app_context():
            data = {"reported_on": fields.pop("reported_on", date.today()), "status": status,
                    "note": fields.pop("note", "Progress."), "indicator_value": None, "evidence_url": None, **fields}
            update = service.report_progress(db.session.get(User, author.id),
                                             db.session.get(Commitment, commitment.id), data)
            db.session.commit()
            db.session.refresh(update)
            db.session.expunge(update)
            return update

    # --- Commitments: symposia, reviews, evidence files, bulk data, back-dating -------------------

    def symposium(self, **fields):
        from datetime import date, timedelta

        from portal.symposia.models import Symposium

        n = next(_sequence)
        start = fields.pop("start_date", date.today() - timedelta(days=30))
        # "title" is Spanish (the portal's default language); title_es and title_en set the languages apart.
        title = fields.pop("title", f"Simposio {n}")
        texts = {"title_es": title} if title is not None else {}
        symposium = Symposium(slug=fields.pop("slug", f"symposium-{n}"), **texts,
                              start_date=start, end_date=fields.pop("end_date", start),
                              city=fields.pop("city", "Tegucigalpa"), country_iso3=fields.pop("country", "HND"),
                              **fields)
        return self._save(symposium)

    def theme_ids(self) -> dict[str, int]:
        """Return the seeded themes' ids by code."""
        from sqlalchemy import select

        from portal.commitments.models import Theme

        with self.app.app_context():
            return dict(db.session.execute(select(Theme.code, Theme.id)).all())

    def review(self, update, reviewer, verdict: str = "verified", comment: str = ""):
        """Verify or question an update through the service."""
        from portal.progress import service
        from portal.progress.models import ProgressUpdate

        with self.app.app_context():
            review = service.review_update(db.session.get(User, reviewer.id),
                                           db.session.get(ProgressUpdate, update.id), verdict, comment)
            db.session.commit()
            db.session.refresh(review)
            db.session.expunge(review)
            return review

    def evidence_update(self, commitment, author, content: bytes, filename: str = "evidence.pdf",
                        status: str = "in_progress", **fields):
        """Report progress with an evidence file stored like an upload; return the update."""
        import io
        from datetime import date

        from werkzeug.datastructures import FileStorage

        from portal.commitments.models import Commitment
        from portal.core.uploads import save_upload
        from portal.progress import service

        with self.app.app_context():
            actor = db.session.get(User, author.id)
            attachment = save_upload(FileStorage(io.BytesIO(content), filename=filename), actor, actor.organisation_id)
            data = {"reported_on": fields.pop("reported_on", date.today()), "status": status,
                    "note": fields.pop("note", "Progress with evidence."), "indicator_value": None,
                    "evidence_url": None, **fields}
            update = service.report_progress(actor, db.session.get(Commitment, commitment.id), data, attachment)
            db.session.commit()
            db.session.refresh(update)
            db.session.expunge(update)
            return update

    def change(self, obj, **values):
        """Set columns directly in the database (e.g. back-date ``created_at``), bypassing the portal."""
        from sqlalchemy import update as sql_update

        model = type(obj)
        with self.app.app_context():
            db.session.execute(sql_update(model).where(model.id == obj.id).values(**values))
            db.session.commit()

    def bulk_commitments(self, organisation, author, count: int, themes=(), **fields) -> list[int]:
        """Insert ``count`` commitments (with their theme links) in a few statements; return their ids."""
        from sqlalchemy import insert, select

        from portal.commitments.models import Commitment, commitment_themes

        n = next(_sequence)
        rows = [{"title_es": f"Bulk commitment {n}-{i}", "title_en": f"Bulk commitment {n}-{i}",
                 "description_es": f"Item {i} of a large list.", "description_en": f"Item {i} of a large list.",
                 "organisation_id": organisation.id, "created_by_id": author.id, "visibility": "public",
                 "status": "planned", "review_state": "none", "is_archived": False, **fields}
                for i in range(count)]
        with self.app.app_context():
            db.session.execute(insert(Commitment), rows)
            ids = list(db.session.scalars(select(Commitment.id).where(Commitment.title_es.like(f"Bulk commitment {n}-%"))
                                          .order_by(Commitment.id)))
            links = [{"commitment_id": cid, "theme_id": tid} for cid in ids for tid in themes]
            if links:
                db.session.execute(insert(commitment_themes), links)
            db.session.commit()
        return ids

    def bulk_updates(self, commitment, author, count: int, reviewer=None, with_files: bool = False) -> None:
        """Insert ``count`` progress updates (each reviewed by ``reviewer`` if given, each with an attachment
        row if ``with_files``) and their audit events."""
        from datetime import date, timedelta

        from sqlalchemy import insert, select

        from portal.core.audit import AuditEvent
        from portal.progress.models import ProgressUpdate, UpdateReview

        key = f"bulk-{next(_sequence)}"
        start = date.today() - timedelta(days=count)
        rows = [{"commitment_id": commitment.id, "reported_on": start + timedelta(days=i), "status": "in_progress",
                 "note": f"Step {i} done.", "author_id": author.id, "organisation_id": author.organisation_id,
                 "review_state": "verified" if reviewer else "pending", "idempotency_key": f"{key}-{i}"}
                for i in range(count)]
        with self.app.app_context():
            if with_files:
                from uuid import uuid4

                from portal.core.uploads import Attachment

                names = [uuid4().hex for _ in rows]
                db.session.execute(insert(Attachment), [
                    {"storage_name": name, "original_name": f"acta-{i}.pdf", "mimetype": "application/pdf",
                     "extension": "pdf", "size_bytes": 100, "sha256": "0" * 64, "uploaded_by_id": author.id,
                     "organisation_id": author.organisation_id} for i, name in enumerate(names)])
                files = dict(db.session.execute(select(Attachment.storage_name, Attachment.id)
                                                .where(Attachment.storage_name.in_(names))).all())
                for row, name in zip(rows, names):
                    row["attachment_id"] = files[name]
            db.session.execute(insert(ProgressUpdate), rows)
            ids = list(db.session.scalars(select(ProgressUpdate.id)
                                          .where(ProgressUpdate.idempotency_key.like(f"{key}-%"))))
            if reviewer:
                db.session.execute(insert(UpdateReview), [
                    {"update_id": uid, "verdict": "verified", "comment": "Confirmed.", "reviewer_id": reviewer.id,
                     "reviewer_organisation_id": reviewer.organisation_id} for uid in ids])
            db.session.execute(insert(AuditEvent), [
                {"actor_id": author.id, "actor_organisation_id": author.organisation_id, "action": "report_progress",
                 "object_type": "commitments", "object_id": commitment.id,
                 "changes": {"status": ["planned", "in_progress"], "update": uid}} for uid in ids])
            db.session.commit()
