"""Load the demo partners and accounts (flush only; the CLI command commits)."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.demo.commitments import load_demo_commitments
from portal.demo.context import load_demo_context
from portal.demo.data import DEMO_ADMIN_EMAIL, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, ORGANISATIONS
from portal.demo.followup import load_demo_followup
from portal.demo.joint_actions import load_demo_joint_actions
from portal.demo.minutes import load_demo_minutes
from portal.extensions import db
from portal.organisations.models import Organisation


def demo_is_loaded() -> bool:
    """Tell whether the demo data is already in the database."""
    return db.session.scalar(select(User.id).where(User.email == DEMO_ADMIN_EMAIL)) is not None


def load_demo() -> list[User]:
    """Add the demo organisations, one account each and a site administrator; return the accounts."""
    password_hash = hash_password(DEMO_PASSWORD)
    accounts = [User(email=DEMO_ADMIN_EMAIL, password_hash=password_hash, is_site_admin=True,
                     position="Administración del portal")]
    for slug, name, name_en, acronym, kind, country, host, role, position in ORGANISATIONS:
        organisation = Organisation(slug=slug, name=name, name_en=name_en, acronym=acronym, kind=kind,
                                    country_iso3=country, host_country_iso3=host)
        db.session.add(organisation)
        accounts.append(User(email=f"{slug}@{DEMO_EMAIL_DOMAIN}", password_hash=password_hash,
                             organisation=organisation, role=role, position=position))
    db.session.add_all(accounts)
    db.session.flush()
    by_organisation = {user.organisation.slug: user for user in accounts if user.organisation}
    symposium = load_demo_commitments(by_organisation)
    load_demo_minutes(by_organisation, symposium)
    load_demo_joint_actions(by_organisation, symposium)
    load_demo_followup(by_organisation)
    load_demo_context(by_organisation)
    return accounts
