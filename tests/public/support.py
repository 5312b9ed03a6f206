"""Helpers of the country tests: joint actions across countries, context figures, and reading the pages."""

import html
import re

from portal.extensions import db


def add_action(app, lead, visibility: str = "public", countries=(("HND", "origin"), ("MEX", "transit")),
               title: str = "Joint action") -> int:
    """Start a joint action led by ``lead``'s organisation with countries in their roles; return its id."""
    from portal.accounts.models import User
    from portal.joint_actions import service

    with app.app_context():
        actor = db.session.get(User, lead.id)
        action = service.create_action(actor, {"title_es": title, "title_en": title, "visibility": visibility})
        for iso3, role in countries:
            service.add_country(actor, action, iso3, role)
        db.session.commit()
        return action.id


def add_figure(app, author, country: str = "HND", **fields) -> int:
    """Add a context figure through the service; return its id."""
    from decimal import Decimal

    from portal.accounts.models import User
    from portal.public import service

    data = {"label_es": "Migrantes retornados", "label_en": "Migrants returned", "value": Decimal("95250"),
            "unit": "", "period": "2014 – 2016", "source": "CENISS", "source_url": None, "note_es": "", "position": 0,
            **fields}
    with app.app_context():
        figure = service.create_figure(db.session.get(User, author.id), country, data)
        db.session.commit()
        return figure.id


def text_of(page: str) -> str:
    """The page's visible text, tags removed and white space collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def report_on_lead_share(app, action_id: int, author, reported_on, status: str = "in_progress") -> None:
    """Report progress on the lead's share of a joint action."""
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.joint_actions import service
    from portal.joint_actions.models import Party

    with app.app_context():
        party = db.session.scalar(select(Party).where(Party.action_id == action_id,
                                                      Party.organisation_id == author.organisation_id))
        service.report_party_progress(db.session.get(User, author.id), party,
                                      {"reported_on": reported_on, "status": status, "note": "Avance.",
                                       "evidence_url": None})
        db.session.commit()
