"""CLI: load the demo data."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from portal.demo.data import DEMO_PASSWORD
from portal.demo.loader import demo_is_loaded, load_demo
from portal.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when the demo is already loaded.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the Tegucigalpa demo: partners, one account each, and a site administrator."""
    if current_app.config["IS_PRODUCTION"]:
        raise click.ClickException("The demo creates accounts with a published password; it is refused in production.")
    # A fresh checkout has no tables yet: bring the database up to date first, as `make run` does.
    upgrade(directory=current_app.extensions["migrate"].directory)
    if demo_is_loaded():
        if if_empty:
            return
        raise click.ClickException("The demo data is already loaded.")
    accounts = load_demo()
    db.session.commit()
    click.echo("Demo loaded. Accounts (password for all: %s):" % DEMO_PASSWORD)
    for user in accounts:
        click.echo(f"  {user.email:45} {user.organisation.acronym if user.organisation else 'site admin'}")
