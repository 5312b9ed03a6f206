"""Atom feeds of new commitments and verified progress, and the calendar of every symposium.

Each feed shows what its page shows to the same reader: the page's condition (a country's institutions, a
symposium, an organisation) and the commitments' visibility rule; entries carry stable ``tag:`` ids.
"""

from datetime import datetime, timezone
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import Response, current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.core.permissions import public
from portal.core.translated import marked, pick
from portal.countries.models import Country
from portal.countries.names import country_name
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.progress.models import ReviewState
from portal.public import country_queries
from portal.public.routes import bp
from portal.symposia.calendar import calendar_of, symposium_event
from portal.symposia.models import Symposium

ENTRIES = 30
ATOM_TYPE = "application/atom+xml"


def _tag(kind: str, number) -> str:
    """A tag: URI (RFC 4151): stable even if the portal's address or page layout changes."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"tag:{host},2026:{kind}/{number}"


def _new_commitments(condition) -> list[Commitment]:
    return list(db.session.scalars(
        select(Commitment).where(condition, visible_commitments_filter(current_user), Commitment.is_archived.is_(False))
        .order_by(Commitment.created_at.desc(), Commitment.id.desc()).limit(ENTRIES)))


def _at(day) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def _entries(condition) -> list[dict]:
    entries = [{"id": _tag("commitment", c.id), "title": _("New commitment: %(title)s", title=marked(c.title)),
                "url": url_for("commitments.detail", commitment_id=c.id, _external=True), "updated": c.created_at,
                "summary": _("%(organisation)s committed to: %(title)s", organisation=c.organisation.display_name,
                             title=marked(c.title))}
               for c in _new_commitments(condition)]
    for row in country_queries.recent_updates(current_user, condition, ENTRIES, review_state=ReviewState.VERIFIED):
        entries.append({"id": _tag("progress", row.id), "title": _("Verified progress: %(title)s",
                                                                   title=marked(pick({"es": row.commitment_title_es,
                                                                                     "en": row.commitment_title_en}))),
                        "url": url_for("commitments.detail", commitment_id=row.commitment_id, _external=True),
                        "updated": _at(row.reported_on),
                        "summary": _("Progress reported on %(date)s and verified.", date=row.reported_on.isoformat())})
    return sorted(entries, key=lambda entry: entry["updated"], reverse=True)[:ENTRIES]


def atom_response(feed_id: str, title: str, page_url: str, condition) -> Response:
    """Build an Atom 1.0 feed of the condition's new commitments and verified progress."""
    feed = FeedGenerator()
    feed.id(_tag("feed", feed_id))
    feed.title(title)
    feed.author({"name": _("Co-responsibility portal")})
    feed.link(href=page_url, rel="alternate")
    feed.link(href=url_for("public.progress_feed", _external=True) if feed_id == "progress" else
              page_url.rstrip("/") + "/feed.atom", rel="self")
    feed.language(str(get_locale()))
    entries = _entries(condition)
    feed.updated(entries[0]["updated"] if entries else datetime(2026, 1, 1, tzinfo=timezone.utc))
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate")
        entry.updated(item["updated"])
        entry.summary(item["summary"])
    return Response(feed.atom_str(pretty=True), mimetype=ATOM_TYPE)


@bp.get("/feeds/progress.atom")
@public
def progress_feed():
    """Atom feed of every new commitment and verified progress the reader may see."""
    return atom_response("progress", _("New commitments and verified progress"),
                         url_for("public.home", _external=True), true())


@bp.get("/countries/<country:code>/feed.atom")
@public
def country_feed(code: str):
    """Atom feed of a country's institutions' new commitments and verified progress."""
    country = db.get_or_404(Country, code.upper())
    return atom_response(f"country/{country.iso3}", _("%(country)s: new commitments and verified progress",
                                                      country=country_name(country.iso3)),
                         url_for("countries.detail", code=country.iso3, _external=True),
                         country_queries.institutions_of(country.iso3))


@bp.get("/symposia/<slug:slug>/feed.atom")
@public
def symposium_feed(slug: str):
    """Atom feed of the commitments made at a symposium and their verified progress."""
    symposium = db.one_or_404(select(Symposium).where(Symposium.slug == slug))
    return atom_response(f"symposium/{symposium.id}", marked(symposium.title),
                         url_for("public.symposium", slug=slug, _external=True),
                         Commitment.symposium_id == symposium.id)


@bp.get("/orgs/<slug:slug>/feed.atom")
@public
def organisation_feed(slug: str):
    """Atom feed of an organisation's new commitments and verified progress."""
    organisation = db.one_or_404(select(Organisation).where(Organisation.slug == slug,
                                                             Organisation.is_active.is_(True)))
    return atom_response(f"organisation/{organisation.id}", organisation.display_name,
                         url_for("organisations.detail", slug=slug, _external=True),
                         Commitment.organisation_id == organisation.id)


@bp.get("/symposia.ics")
@public
def symposia_calendar():
    """Every symposium in one calendar to subscribe to, with the same UIDs as each symposium's own file."""
    symposia = db.session.scalars(select(Symposium).options(selectinload(Symposium.agenda))
                                  .order_by(Symposium.start_date, Symposium.id))
    body = calendar_of((symposium_event(s, url_for("public.symposium", slug=s.slug, _external=True))
                        for s in symposia), _("Symposia"))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="symposia.ics"'})
