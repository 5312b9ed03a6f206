"""Operations commands: backup archives (database, evidence files, manifest) and their restore."""

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.core.backup import (
    BackupError,
    instance_contents,
    prune_backups,
    read_manifest,
    restore_backup,
    verify_restore,
    write_backup,
)
from portal.extensions import db


@click.command("backup")
@click.option("--to", "target_dir", default=None, help="Folder for the archive (default: BACKUP_FOLDER, instance/backups).")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Archives kept in that folder, oldest deleted first (default: BACKUP_KEEP).")
@with_appcontext
def backup_command(target_dir: str | None, keep: int | None) -> None:
    """Write one archive: the database (SQLite backup API or pg_dump -Fc), the uploads and a manifest."""
    target_dir = target_dir or current_app.config["BACKUP_FOLDER"]
    try:
        archive = write_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.config["UPLOAD_FOLDER"],
                               target_dir)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for removed in prune_backups(target_dir, keep or current_app.config["BACKUP_KEEP"]):
        click.echo(f"removed {removed}", err=True)
    click.echo(archive)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the data of a non-empty instance.")
@with_appcontext
def restore_command(archive: str, force: bool) -> None:
    """Restore an archive into an empty instance and check every row count and file hash of its manifest."""
    uri, uploads = current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.config["UPLOAD_FOLDER"]
    db.session.remove()
    db.engine.dispose()  # the restore replaces the database under any open connection
    try:
        read_manifest(archive)
        found = instance_contents(uri, uploads)
        if found and not force:
            raise click.ClickException(
                f"this instance is not empty ({', '.join(found[:3])}{', ...' if len(found) > 3 else ''}); "
                "restore into an empty one, or add --force to replace its data")
        manifest = restore_backup(archive, uri, uploads)
        problems = verify_restore(manifest, uri, uploads)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if problems:
        raise click.ClickException("the restored instance differs from the manifest: " + "; ".join(problems[:10]))
    click.echo(f"restored {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables and "
               f"{len(manifest['files'])} files from {archive}; every count and hash matches the manifest")
