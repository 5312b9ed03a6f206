"""``flask --app portal recompute-tallies``: rebuild every summary row from the base tables."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.commitments.tallies import commitment_tag_tallies, commitment_tallies, recompute_tallies
from portal.core.cache_generations import bump_generation
from portal.extensions import db
from portal.public.progress_tallies import completion_tallies, recompute_progress_tallies, update_day_tallies


@click.command("recompute-tallies")
@with_appcontext
def recompute_tallies_command() -> None:
    """Rebuild the commitment and progress tallies from the base tables, in one transaction (after rows were
    written past the portal, by a bulk load or by hand in SQL; the portal's own writes keep them in step)."""
    connection = db.session.connection()
    recompute_tallies(connection)
    recompute_progress_tallies(connection)
    # Pages cached from the old rows start afresh.
    bump_generation(connection)
    rows = {table.name: connection.scalar(select(func.count()).select_from(table))
            for table in (commitment_tallies, commitment_tag_tallies, update_day_tallies, completion_tallies)}
    db.session.commit()
    click.echo("recompute-tallies: " + ", ".join(f"{name} {count} row(s)" for name, count in rows.items()))
