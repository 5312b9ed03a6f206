"""Ids of the demo joint actions, for the placeholders in PAGES (called by the demo_ids fixture).

* ``action[<lead slug>]``: the demo joint action led by that organisation (SRECI: the consular project;
  DGPM: the assistance to returned families; the IOM mission: the Migrant's Guide distribution);
* ``party[<lead slug>.<organisation slug>]``: that organisation's share of the action (accepted or proposed);
* ``party_update[<lead slug>.<organisation slug>]``: the latest progress update on that share.
"""

from sqlalchemy import select

from portal.extensions import db
from portal.joint_actions.models import JointAction, Party
from portal.organisations.models import Organisation
from portal.progress.models import ProgressUpdate


def demo_joint_action_ids() -> dict:
    """Return the placeholders' values; call inside the e2e app's context."""
    lead = Organisation.__table__.alias("lead")
    member = Organisation.__table__.alias("member")
    rows = db.session.execute(
        select(lead.c.slug, member.c.slug, JointAction.id, Party.id)
        .join(lead, lead.c.id == JointAction.lead_organisation_id)
        .join(Party, Party.action_id == JointAction.id).join(member, member.c.id == Party.organisation_id)
        .order_by(JointAction.id, Party.id)
    ).all()
    ids = {"action": {}, "party": {}, "party_update": {}}
    for lead_slug, member_slug, action_id, party_id in rows:
        ids["action"].setdefault(lead_slug, action_id)
        ids["party"].setdefault(f"{lead_slug}.{member_slug}", party_id)
    for key, party_id in ids["party"].items():
        update_id = db.session.scalar(select(ProgressUpdate.id).where(ProgressUpdate.party_id == party_id)
                                      .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1))
        if update_id is not None:
            ids["party_update"][key] = update_id
    return ids
