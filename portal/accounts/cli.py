"""CLI: create a site administrator."""

import click
from flask.cli import with_appcontext

from portal.accounts.models import User
from portal.accounts.passwords import hash_password, password_problem
from portal.accounts.service import find_user_by_email
from portal.core.audit import record_event
from portal.extensions import db


@click.command("create-admin")
@click.option("--email", prompt=True, help="E-mail address of the new administrator.")
@click.password_option(help="Password (asked twice when not given).")
@with_appcontext
def create_admin_command(email: str, password: str) -> None:
    """Create a site administrator account."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an e-mail address", param_hint="--email")
    if find_user_by_email(email):
        raise click.ClickException(f"An account for {email} already exists.")
    if problem := password_problem(password, email):
        raise click.ClickException(problem)
    admin = User(email=email, password_hash=hash_password(password), is_site_admin=True, role="viewer")
    db.session.add(admin)
    db.session.flush()
    record_event(None, "create_admin", admin)
    db.session.commit()
    click.echo(f"Site administrator {email} created.")
