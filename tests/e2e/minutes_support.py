"""Ids of the demo minutes, for the ``{minutes[...]}`` placeholders in PAGES (called by the demo_ids fixture).

* ``minutes[symposium]``: the approved, public minutes of the Tegucigalpa symposium (revisions 1 and 2);
* ``minutes[follow-up]``: the circulated minutes of the virtual follow-up meeting;
* ``minutes[item-<slug>]``: the first action item of the symposium minutes that the organisation with
  that slug is responsible for and has not yet turned into a commitment.
"""

from sqlalchemy import select

from portal.extensions import db
from portal.minutes.models import ActionItem, Minutes
from portal.organisations.models import Organisation


def demo_minutes_ids() -> dict:
    """Return the placeholders' values; call inside the e2e app's context."""
    symposium = db.session.scalar(select(Minutes.id).where(Minutes.symposium_id.is_not(None))
                                  .order_by(Minutes.id).limit(1))
    follow_up = db.session.scalar(select(Minutes.id).where(Minutes.status == "circulated")
                                  .order_by(Minutes.id).limit(1))
    ids = {"symposium": symposium, "follow-up": follow_up}
    items = db.session.execute(
        select(Organisation.slug, ActionItem.id)
        .join(Organisation, Organisation.id == ActionItem.responsible_organisation_id)
        .where(ActionItem.minutes_id == symposium, ActionItem.commitment_id.is_(None)).order_by(ActionItem.id))
    for slug, item_id in items:
        ids.setdefault(f"item-{slug}", item_id)
    return ids
