"""Demo update requests: the IOM mission asked two Honduran institutions for news.

The Migrant's Guide distribution (DGPM) was asked about in the summer and answered by its next
progress update; the intersectoral coordination table (the Foreign Ministry) was asked a few days
ago and has not answered yet, so both states show on the board, the dashboards and the items.
"""

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.extensions import db
from portal.followup import requests as service
from portal.progress.models import ProgressUpdate

#: owner slug, commitment title, message, (days before its answering update asked, days given) or None if open
REQUESTS = [
    ("dgpm-hnd",
     "Distribuir las 64.000 copias de la Guía del Migrante en embajadas, consulados y centros de atención",
     "¿Cuántas copias se han distribuido hasta ahora y en qué centros de atención? Necesitamos la cifra para el "
     "informe semestral al donante.", (30, 20)),
    ("sreci-hnd", "Mesa de coordinación intersectorial sobre gestión migratoria",
     "La mesa debía reunirse cada trimestre y no hay avances registrados. ¿Se realizaron las reuniones? "
     "Agradeceremos las fechas y, si existen, las actas.", None),
]


def _at(day) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=timezone.utc)


def load_demo_followup(accounts: dict, today=None) -> None:
    """Add the IOM mission's update requests to Honduran institutions; accounts are keyed by org slug."""
    iom = accounts["oim-slv-gtm-hnd"]
    today = today or date.today()
    for slug, title, message, answered in REQUESTS:
        commitment = db.session.scalar(select(Commitment).where(
            Commitment.title_es == title, Commitment.organisation_id == accounts[slug].organisation_id))
        if answered is None:
            request = service.request_update(iom, commitment, {"message": message,
                                                               "due_date": today + timedelta(days=10)})
            request.created_at = _at(today - timedelta(days=4))
            continue
        # Asked before the latest update, which answered it (as the portal would have, at the time).
        update = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)
                                   .order_by(ProgressUpdate.reported_on.desc()).limit(1))
        days_before, days_given = answered
        asked_on = update.reported_on - timedelta(days=days_before)
        request = service.request_update(iom, commitment, {"message": message,
                                                           "due_date": asked_on + timedelta(days=days_given)})
        request.created_at = _at(asked_on)
        request.answered_at = update.created_at
        request.answer_update_id = update.id
    db.session.flush()
