"""flask --app portal import-commitments FILE: the same preview as the import page, as text, then the import."""

import os

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.commitments.importing.apply import apply_preview
from portal.commitments.importing.parsing import ImportFileError, read_table
from portal.commitments.importing.preview import Preview, build_preview
from portal.commitments.permissions import can_import_commitments
from portal.extensions import db
from portal.symposia.models import Symposium


def preview_lines(preview: Preview) -> list[str]:
    """The preview as lines of text: the counts, then one line per row and one per change or error."""
    counts = preview.counts
    lines = [_("%(file)s: %(new)s new, %(proposed)s proposed to other organisations, %(changed)s changed, "
               "%(unchanged)s unchanged, %(conflict)s changed by someone else since the export, %(error)s with "
               "errors.", file=preview.filename, **counts)]
    for row in preview.rows:
        ident = f" #{row.commitment_id}" if row.commitment_id else ""
        lines.append(f"{row.line}: {row.kind}{ident} {row.title}")
        lines += [f"    {column}: {reason}" for column, reason in row.errors]
        lines += [f"    {column}: {old or '—'} -> {new or '—'}" for column, (old, new) in row.changes.items()]
    return lines


@click.command("import-commitments")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True, help="E-mail of the editor the import is made by.")
@click.option("--symposium", "slug", default=None, help="Symposium of the rows that name none (its slug).")
@click.option("--dry-run", is_flag=True, help="Print the preview only; write nothing.")
@click.option("--only-valid", is_flag=True, help="Import the valid rows even if others have problems.")
@click.option("--language", type=click.Choice(["es", "en"]), default="es", help="Language of the preview.")
@with_appcontext
def import_commitments_command(path: str, email: str, slug: str | None, dry_run: bool, only_valid: bool,
                               language: str) -> None:
    """Import commitments from a CSV or XLSX file, printing the same preview as the import page."""
    with force_locale(language):
        _import(path, email, slug, dry_run, only_valid)


def _import(path: str, email: str, slug: str | None, dry_run: bool, only_valid: bool) -> None:
    actor = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if actor is None or not can_import_commitments(actor):
        raise click.ClickException(_("No editor has this e-mail address."))
    symposium = None
    if slug and (symposium := db.session.scalar(select(Symposium).where(Symposium.slug == slug))) is None:
        raise click.ClickException(_("No symposium has this slug."))
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        preview = build_preview(actor, read_table(os.path.basename(path), data), os.path.basename(path),
                                symposium=symposium)
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    for line in preview_lines(preview):
        click.echo(line)
    if dry_run:
        return
    if not preview.is_clean and not only_valid:
        raise click.ClickException(_("Some rows have problems, so nothing was imported. Correct the file, or "
                                     "import only the valid rows."))
    outcome = apply_preview(actor, preview, f"cli:{os.path.basename(path)}")
    db.session.commit()
    click.echo(_("Imported: %(created)s new, %(changed)s changed.", created=outcome.created,
                 changed=outcome.changed)
               + (" " + _("%(num)s proposed to other organisations, who will accept or decline them.",
                          num=outcome.proposed) if outcome.proposed else ""))
