"""E-mail digests: `flask --app portal send-reminders`, run by cron (e.g. every morning).

Each enabled user of an organisation gets, in their own language, what concerns their organisation:
items due soon, overdue items, open update requests, and minutes waiting for its endorsement.
Users choose daily, weekly or never (User.digest_frequency). Daily digests cover the day
("2026-11-28"); weekly digests cover the ISO week ("2026-W48") and go out only on REMINDER_WEEKDAY
(default Monday) unless ``--force-weekly`` is given (e.g. to catch up after a missed Monday).

Every item mentioned is recorded in ReminderSent under (user, period, item): an item already
mentioned in the period is left out, and a digest with nothing left is not sent; so a second
run in the same period sends nothing, and a run after something new appeared sends only that.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

import click
from flask import current_app, render_template, url_for
from flask.cli import with_appcontext
from flask_babel import force_locale, ngettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import DigestFrequency, User
from portal.core.clock import local_today
from portal.core.mail import build_message, send_message
from portal.extensions import db
from portal.followup.agenda import DUE_SOON_DAYS, flagged_items, minutes_to_endorse, open_requests
from portal.followup.models import ReminderSent

log = logging.getLogger("portal.reminders")

#: Items per section in one mail; the rest wait for a later run (they are not recorded as sent).
DIGEST_LIMIT = 20
#: Rows read per section and organisation, enough to fill DIGEST_LIMIT after leaving out what was sent.
FETCH_LIMIT = 200
SECTIONS = ("due_soon", "overdue", "requests", "minutes")


@dataclass
class Candidate:
    """Something one organisation should hear about, before it is put into words for one reader."""

    key: str
    kind: str  # commitment, party, request or minutes
    subject: object
    day: date | None = None


@dataclass
class Outcome:
    users: int = 0
    items: int = 0
    empty: int = 0
    failed: int = 0
    periods: set[str] = field(default_factory=set)


def period_of(frequency: str, today: date) -> str:
    """The period a digest covers: the day for daily digests, the ISO week for weekly ones."""
    if frequency == DigestFrequency.DAILY:
        return today.isoformat()
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def frequencies_due(today: date, force_weekly: bool = False) -> list[str]:
    """Daily digests go out every run; weekly ones on REMINDER_WEEKDAY, or any day when forced."""
    due = [DigestFrequency.DAILY]
    if force_weekly or today.weekday() == int(current_app.config["REMINDER_WEEKDAY"]):
        due.append(DigestFrequency.WEEKLY)
    return due


def candidates_for(organisation_id: int, today: date) -> dict[str, list[Candidate]]:
    """What concerns the organisation today, section by section (a fixed number of statements)."""
    found = {flag: [Candidate(f"{entry.key}:{flag}", entry.kind, entry.subject, entry.day)
                    for entry in flagged_items(organisation_id, flag, today, FETCH_LIMIT)]
             for flag in ("due_soon", "overdue")}
    requests, _ = open_requests(organisation_id, today, FETCH_LIMIT)
    found["requests"] = [Candidate(f"request:{r.id}", "request", r, r.due_date) for r in requests.items]
    found["minutes"] = [Candidate(f"minutes:{m.id}:endorse", "minutes", m, m.meeting_date)
                        for m in minutes_to_endorse(organisation_id, FETCH_LIMIT).items]
    return found


def _unsent(user: User, period: str, candidates: dict[str, list[Candidate]]) -> dict[str, list[Candidate]]:
    """Leave out what this user was already told about in this period; at most DIGEST_LIMIT per section."""
    sent = set(db.session.scalars(select(ReminderSent.item_key).where(ReminderSent.user_id == user.id,
                                                                      ReminderSent.period == period)))
    return {section: [c for c in found if c.key not in sent][:DIGEST_LIMIT] for section, found in candidates.items()}


def _link(candidate: Candidate) -> str:
    """The absolute address of a candidate's page (inside the run's request context on BASE_URL)."""
    subject = candidate.subject
    if candidate.kind == "request":
        subject = candidate.subject.subject
        if candidate.subject.commitment_id is None:
            return url_for("joint_actions.detail", action_id=subject.action_id, _anchor=f"party-{subject.id}",
                           _external=True)
        return url_for("commitments.detail", commitment_id=subject.id, _anchor="update-requests", _external=True)
    if candidate.kind == "commitment":
        return url_for("commitments.detail", commitment_id=subject.id, _external=True)
    if candidate.kind == "party":
        return url_for("joint_actions.detail", action_id=subject.action_id, _anchor=f"party-{subject.id}",
                       _external=True)
    return url_for("minutes.detail", minutes_id=subject.id, _external=True)


def _title(candidate: Candidate) -> str:
    """A party's share goes by its joint action's title; everything else by its own."""
    if candidate.kind == "request":
        request = candidate.subject
        return request.commitment.title if request.commitment_id is not None else request.party.action.title
    return candidate.subject.action.title if candidate.kind == "party" else candidate.subject.title


def compose(user: User, frequency: str, digest: dict[str, list[Candidate]]):
    """Write the digest in the user's language (their choice, else the portal's default)."""
    language = user.locale if user.locale in current_app.config["LANGUAGES"] else \
        current_app.config["BABEL_DEFAULT_LOCALE"]
    count = sum(len(found) for found in digest.values())
    with force_locale(language):
        sections = {name: [(c, _title(c), _link(c)) for c in found] for name, found in digest.items()}
        body = render_template("email/digest.txt", user=user, organisation=user.organisation, sections=sections,
                               frequency=frequency, due_soon_days=DUE_SOON_DAYS,
                               dashboard_url=url_for("followup.dashboard", _external=True),
                               profile_url=url_for("accounts.profile", _external=True))
        subject = ngettext("%(organisation)s: %(num)d item to follow up", "%(organisation)s: %(num)d items to follow up",
                           count, organisation=user.organisation.display_name)
    return build_message(user.email, subject, body, language)


def _commit_and_deliver(user: User, period: str, frequency: str,
                        digest: dict[str, list[Candidate]]) -> bool | None:
    """Record the items as sent, then send; None if another run is mailing this user right now.

    The ReminderSent rows are committed *before* the mail is handed to SMTP, and deleted again if
    sending fails. So the database write lock is never held while talking to a mail server (SQLite has
    a single writer, and the portal keeps serving), two overlapping runs cannot both mail the same
    items (the second one's insert meets the unique key), and a refused or unreachable server only
    postpones the digest to the next run. The one loss: a crash between the commit and the end of the
    SMTP conversation leaves that one user's digest unsent for this period.
    """
    keys = [c.key for found in digest.values() for c in found]
    message = compose(user, frequency, digest)
    db.session.add_all(ReminderSent(user_id=user.id, period=period, item_key=key) for key in keys)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    try:
        send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("reminders.send_failed user=%d", user.id)
        db.session.execute(delete(ReminderSent).where(ReminderSent.user_id == user.id, ReminderSent.period == period,
                                                      ReminderSent.item_key.in_(keys)))
        db.session.commit()
        return False
    return True


def _send_digest(user: User, today: date, candidates: dict[str, list[Candidate]], outcome: "Outcome") -> None:
    """Send one user what they have not been told yet in this period, and count what happened."""
    period = period_of(user.digest_frequency, today)
    digest = _unsent(user, period, candidates)
    items = sum(len(found) for found in digest.values())
    if not items:
        outcome.empty += 1
        return
    delivered = _commit_and_deliver(user, period, user.digest_frequency, digest)
    if delivered:
        outcome.users += 1
        outcome.items += items
        outcome.periods.add(period)
    elif delivered is False:
        outcome.failed += 1


def send_reminders(today: date | None = None, force_weekly: bool = False) -> Outcome:
    """Send every due digest for ``today`` (the portal's today by default); one commit per user."""
    today = today or local_today()
    frequencies = frequencies_due(today, force_weekly)
    users = list(db.session.scalars(
        select(User).where(User.is_enabled.is_(True), User.organisation_id.is_not(None),
                           User.digest_frequency.in_(frequencies)).order_by(User.organisation_id, User.id)))
    outcome, by_organisation = Outcome(), {}
    # One organisation's candidates serve all its users, across the per-user commits of this run.
    session = db.session()
    session.expire_on_commit = False
    try:
        # Links are built on BASE_URL: the mail is read far from any request to the portal.
        with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
            for user in users:
                if user.organisation_id not in by_organisation:
                    by_organisation = {user.organisation_id: candidates_for(user.organisation_id, today)}
                _send_digest(user, today, by_organisation[user.organisation_id], outcome)
    finally:
        session.expire_on_commit = True
    return outcome


@click.command("send-reminders")
@click.option("--force-weekly", is_flag=True, help="Send the weekly digests today, whatever the weekday.")
@with_appcontext
def send_reminders_command(force_weekly: bool) -> None:
    """Mail each user the digest of what concerns their organisation (run daily by cron)."""
    outcome = send_reminders(force_weekly=force_weekly)
    click.echo(f"send-reminders: {outcome.users} user(s) mailed, {outcome.items} item(s), "
               f"{outcome.empty} with nothing new, {outcome.failed} failed"
               f"{' (' + ', '.join(sorted(outcome.periods)) + ')' if outcome.periods else ''}")
    if outcome.failed:
        raise SystemExit(1)
