"""The crosswalk: every framework tag, and what the partners do under each, by country and by status."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter, visible_tallies_filter
from portal.commitments.scorecard import tallied_scorecard
from portal.commitments.tallies import commitment_tag_tallies
from portal.core.clock import local_today
from portal.core.permissions import public
from portal.countries.names import country_name, sort_key
from portal.extensions import db
from portal.frameworks.models import FRAMEWORK_LABELS, Framework, FrameworkTag, active_tags
from portal.joint_actions.models import JointAction, joint_action_framework_tags
from portal.joint_actions.permissions import visible_actions_filter
from portal.organisations.models import Organisation
from portal.progress.models import STATUS_LABELS

bp = Blueprint("frameworks", __name__)

#: Items listed on a tag's page; the rest are one click away in the filtered lists.
LISTED = 20


def _counts(link_table, id_column, model, *conditions) -> dict[int, int]:
    """Tagged items matching ``conditions`` per tag id (one GROUP BY)."""
    rows = db.session.execute(select(link_table.c.tag_id, func.count()).join(model, model.id == id_column)
                              .where(*conditions).group_by(link_table.c.tag_id))
    return dict(rows.all())


@bp.get("/")
@public
def index():
    """List the frameworks and their tags, with how many visible commitments and joint actions carry each."""
    tallies = commitment_tag_tallies
    commitments = {tag_id: int(count) for tag_id, count in db.session.execute(
        select(tallies.c.tag_id, func.sum(tallies.c.count))
        .where(visible_tallies_filter(current_user, tallies), tallies.c.is_archived.is_(False))
        .group_by(tallies.c.tag_id)) if count}
    actions = _counts(joint_action_framework_tags, joint_action_framework_tags.c.joint_action_id, JointAction,
                      visible_actions_filter(current_user))
    groups = {framework: [] for framework in Framework}
    for tag in active_tags():
        groups.setdefault(tag.framework, []).append(tag)
    return render_template("public/frameworks/index.html", groups=groups, labels=FRAMEWORK_LABELS,
                           commitments=commitments, actions=actions)


@bp.get("/<framework>/<code>")
@public
def tag(framework: str, code: str):
    """Show every visible commitment and joint action under one tag, by country and by status."""
    tag = db.one_or_404(select(FrameworkTag).where(FrameworkTag.framework == framework, FrameworkTag.code == code))
    tagged = Commitment.framework_tags.any(id=tag.id)
    visible = (tagged, visible_commitments_filter(current_user), Commitment.is_archived.is_(False))
    tallies = commitment_tag_tallies
    by_country = db.session.execute(
        select(Organisation.country_iso3, tallies.c.status, func.sum(tallies.c.count))
        .join(Organisation, Organisation.id == tallies.c.organisation_id)
        .where(tallies.c.tag_id == tag.id, visible_tallies_filter(current_user, tallies),
               tallies.c.is_archived.is_(False))
        .group_by(Organisation.country_iso3, tallies.c.status)).all()
    countries: dict[str, dict[str, int]] = {}
    for iso3, status, count in by_country:
        if count:
            countries.setdefault(iso3, {})[status] = int(count)
    commitments = db.session.scalars(select(Commitment).where(*visible)
                                     .order_by(Commitment.updated_at.desc(), Commitment.id.desc()).limit(LISTED))
    actions = db.session.scalars(
        select(JointAction).where(JointAction.framework_tags.any(id=tag.id), visible_actions_filter(current_user))
        .order_by(JointAction.updated_at.desc(), JointAction.id.desc()).limit(LISTED))
    return render_template(
        "public/frameworks/tag.html", tag=tag, framework_label=FRAMEWORK_LABELS.get(tag.framework, tag.framework),
        scorecard=tallied_scorecard(current_user, tagged, tallies.c.tag_id == tag.id, tallies=tallies), statuses=STATUS_LABELS, today=local_today(),
        countries=sorted(countries.items(), key=lambda row: sort_key(country_name(row[0]))),
        commitments=list(commitments), actions=list(actions), listed=LISTED)
