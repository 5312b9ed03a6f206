"""Evidence files: checked by content, stored outside the web root under a random name, served as downloads.

Write order (crash-safe): stream to ``<UPLOAD_FOLDER>/tmp/<uuid>`` with a size counter, check the
type and the archive structure, fsync, ``os.replace`` to ``<UPLOAD_FOLDER>/<uuid>``, then add the
row; the caller commits. A file whose row never got committed is an orphan, removed by
``flask --app portal reap-uploads`` once it is older than an hour.
"""

import hashlib
import logging
import os
import re
import time
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import click
import filetype
from flask import abort, current_app, g, has_request_context, send_file
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.audit import record_event
from portal.core.db import TimestampMixin
from portal.extensions import db

log = logging.getLogger("portal.uploads")

CHUNK_SIZE = 64 * 1024
#: Archive limits, checked from the zip directory without extracting anything.
ARCHIVE_MAX_ENTRIES = 10_000
ARCHIVE_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
#: Below this uncompressed total a high ratio is harmless (tiny XML parts compress very well).
ARCHIVE_RATIO_FLOOR = 10 * 1024 * 1024
DISPLAY_NAME_MAX = 255
ATTACHMENT_CSP = "default-src 'none'; sandbox"

_STORAGE_NAME = re.compile(r"^[0-9a-f]{32}$")
#: Controls, zero-width and bidi characters (which can disguise "x\u202efdp.exe" as "x.exe.pdf"), surrogates.
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")

NOT_ACCEPTED = _l("This file type is not accepted. Send a PDF, Word, Excel, OpenDocument, PNG or JPEG file.")
DAMAGED_ARCHIVE = _l("This archive is damaged or expands to an unsafe size.")
EMPTY_FILE = _l("The file is empty.")


class UploadRejected(Exception):
    """An upload was refused; ``message`` is a translated text the form can show."""

    def __init__(self, message):
        # Kept lazy: the text is rendered in the language of whoever reads it.
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileKind:
    mimetype: str
    extension: str
    #: File-name endings that already match this type, so the download name keeps them.
    suffixes: frozenset[str]


PDF = FileKind("application/pdf", "pdf", frozenset({"pdf"}))
PNG = FileKind("image/png", "png", frozenset({"png"}))
JPEG = FileKind("image/jpeg", "jpg", frozenset({"jpg", "jpeg", "jpe"}))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", frozenset({"docx"}))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", frozenset({"xlsx"}))
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", frozenset({"odt"}))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "ods", frozenset({"ods"}))
ALLOWED_KINDS = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)

#: filetype's answer for formats recognised from their first bytes alone (an APNG is a valid PNG).
_BY_MAGIC = {"pdf": PDF, "png": PNG, "apng": PNG, "jpg": JPEG}
#: filetype's answers for zip containers; the zip directory decides which one it really is.
_ZIP_BASED = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}
_OPENDOCUMENT = {ODT.mimetype: ODT, ODS.mimetype: ODS}


class Attachment(TimestampMixin, db.Model):
    """A stored file; the records it belongs to (minutes, updates, symposia) point at it."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random name of the file in UPLOAD_FOLDER; never derived from anything the user sent.
    storage_name: Mapped[str] = mapped_column(String(32), unique=True)
    #: The user's file name, cleaned, for display and as the download name only.
    original_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), default="")
    #: Detected from the content, never taken from the client.
    mimetype: Mapped[str] = mapped_column(String(100))
    extension: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The organisation the file was uploaded for.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)

    def __repr__(self) -> str:
        """Show the id and type, never the user's file name, in logs."""
        return f"<Attachment {self.id} {self.mimetype}>"


def clean_display_name(raw: str | None) -> str:
    """Return the last path component of a client file name, without control or bidi characters."""
    name = _UNSAFE_NAME_CHARS.sub("", unicodedata.normalize("NFC", raw or ""))
    # Browsers on Windows send "C:\\dir\\file"; either separator may hide a path.
    name = re.split(r"[/\\]", name)[-1]
    # Leading dots would make a hidden file; trailing dots and spaces vanish on Windows anyway.
    name = name.strip().lstrip(".").rstrip(". ")
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = f"{stem[:DISPLAY_NAME_MAX - len(suffix) - 1]}.{suffix}"
        else:
            name = name[:DISPLAY_NAME_MAX]
    return name


def format_limit(size: int) -> str:
    """Return a byte count as a short "20 MB" / "1 KB" text for messages."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


def _upload_folder() -> str:
    """Return the absolute uploads folder of the current app."""
    return current_app.config["UPLOAD_FOLDER"]


def _remove(path: str) -> None:
    """Delete a file if it is still there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _fsync_directory(path: str) -> None:
    """Flush a directory's entries to disk, where the OS allows it."""
    # The rename is durable only once the directory entry is on disk; not every OS allows it.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stream_to(file_storage, path: str, limit: int) -> tuple[int, str]:
    """Copy the upload to ``path`` in chunks, refusing as soon as it passes ``limit``; return (size, sha256)."""
    digest = hashlib.sha256()
    size = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o600), "wb") as out:
        while chunk := file_storage.stream.read(CHUNK_SIZE):
            size += len(chunk)
            if size > limit:
                raise UploadRejected(_l("The file is larger than %(limit)s.", limit=format_limit(limit)))
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def detect_kind(path: str) -> FileKind:
    """Return the allowed type of the file at ``path`` from its content, or raise UploadRejected."""
    guess = filetype.guess(path)
    if guess is None:
        raise UploadRejected(NOT_ACCEPTED)
    if guess.extension in _BY_MAGIC:
        return _BY_MAGIC[guess.extension]
    if guess.extension in _ZIP_BASED:
        return _inspect_archive(path)
    raise UploadRejected(NOT_ACCEPTED)


def _inspect_archive(path: str) -> FileKind:
    """Check a zip container's directory for bombs and tell DOCX, XLSX, ODT and ODS apart, without extracting."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not entries or len(entries) > ARCHIVE_MAX_ENTRIES or len(names) != len(entries):
                # Duplicate names let two readers see two different documents in one file.
                raise UploadRejected(DAMAGED_ARCHIVE)
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise UploadRejected(DAMAGED_ARCHIVE)
            expanded = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries)
            if expanded > ARCHIVE_MAX_UNCOMPRESSED or (
                expanded > ARCHIVE_RATIO_FLOOR and expanded > ARCHIVE_MAX_RATIO * max(packed, 1)
            ):
                raise UploadRejected(DAMAGED_ARCHIVE)
            return _classify_archive(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise UploadRejected(DAMAGED_ARCHIVE) from None


def _classify_archive(archive: zipfile.ZipFile, names: set[str]) -> FileKind:
    """Tell which office format a zip directory describes, or refuse it."""
    if "mimetype" in names and "content.xml" in names:
        with archive.open("mimetype") as handle:
            # Read a bounded amount: the entry's declared size is not trusted.
            declared = handle.read(128).decode("ascii", "replace").strip()
        if declared in _OPENDOCUMENT:
            return _OPENDOCUMENT[declared]
        raise UploadRejected(NOT_ACCEPTED)
    if "[Content_Types].xml" in names:
        word = any(name.startswith("word/") for name in names)
        excel = any(name.startswith("xl/") for name in names)
        if word and not excel:
            return DOCX
        if excel and not word:
            return XLSX
    raise UploadRejected(NOT_ACCEPTED)


def save_upload(file_storage, actor, organisation_id: int) -> "Attachment":
    """Check and store an uploaded file and add its Attachment row (flushed, not committed).

    Raises UploadRejected with a message for the form; no file is left behind then. If the
    caller's commit fails afterwards, it should call :func:`discard_stored_file`.
    """
    if file_storage is None:
        raise UploadRejected(EMPTY_FILE)
    folder = _upload_folder()
    tmp_folder = os.path.join(folder, "tmp")
    os.makedirs(tmp_folder, mode=0o700, exist_ok=True)
    storage_name = uuid.uuid4().hex
    tmp_path = os.path.join(tmp_folder, storage_name)
    final_path = os.path.join(folder, storage_name)
    try:
        size, sha256 = _stream_to(file_storage, tmp_path, current_app.config["UPLOAD_MAX_BYTES"])
        if size == 0:
            raise UploadRejected(EMPTY_FILE)
        kind = detect_kind(tmp_path)
        os.replace(tmp_path, final_path)
    except BaseException:
        _remove(tmp_path)
        raise
    _fsync_directory(folder)
    g.setdefault("uncommitted_uploads", []).append(final_path)
    attachment = Attachment(
        storage_name=storage_name,
        original_name=clean_display_name(file_storage.filename),
        mimetype=kind.mimetype,
        extension=kind.extension,
        size_bytes=size,
        sha256=sha256,
        uploaded_by_id=actor.id,
        organisation_id=organisation_id,
    )
    try:
        db.session.add(attachment)
        db.session.flush()
        record_event(actor, "upload", attachment, {
            "name": attachment.original_name, "mimetype": kind.mimetype, "size_bytes": size, "sha256": sha256,
        })
    except BaseException:
        _remove(final_path)
        raise
    return attachment


def attachment_path(attachment: "Attachment") -> str:
    """Return the absolute path of an attachment's file."""
    # The name comes from our own uuid4().hex; refuse anything else rather than join it into a path.
    if not _STORAGE_NAME.match(attachment.storage_name or ""):
        raise ValueError(f"invalid storage name for attachment {attachment.id}")
    return os.path.join(_upload_folder(), attachment.storage_name)


def discard_stored_file(attachment: "Attachment") -> None:
    """Delete an attachment's file, e.g. after the commit that would have recorded it failed."""
    _remove(attachment_path(attachment))


def discard_uncommitted_files() -> None:
    """Delete the files stored in this request whose rows were not committed (the request failed)."""
    if has_request_context():
        for path in g.pop("uncommitted_uploads", []):
            _remove(path)


@event.listens_for(Session, "after_commit")
def _files_now_have_rows(_session) -> None:
    """Once a commit succeeds, the files stored so far in the request belong to committed rows."""
    if has_request_context():
        g.pop("uncommitted_uploads", None)


def download_name(attachment: "Attachment") -> str:
    """Return the name a browser should save the file as, always ending in the detected type's extension."""
    name = attachment.original_name or ""
    if not name:
        return f"evidence.{attachment.extension}"
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    kind = next((k for k in ALLOWED_KINDS if k.mimetype == attachment.mimetype), None)
    if kind and suffix in kind.suffixes:
        return name
    # "report.html" that is really a PDF must not be saved as .html and opened by a browser later.
    return clean_display_name(f"{name[:DISPLAY_NAME_MAX - 11]}.{attachment.extension}")


def send_attachment(attachment: "Attachment"):
    """Return a download response for an attachment, with headers that keep it out of the app's origin.

    This does NOT authorise: the route must first load the record that owns the file and check
    that the current user may see it (answering 404 otherwise), then call this.
    """
    path = attachment_path(attachment)
    if not os.path.isfile(path):
        log.error("upload.missing attachment=%s storage=%s", attachment.id, attachment.storage_name)
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.mimetype,
        as_attachment=True,
        download_name=download_name(attachment),
        max_age=0,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = ATTACHMENT_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _old_files(folder: str, cutoff: float) -> list[str]:
    """Return the uuid-named regular files in ``folder`` last modified before ``cutoff``."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return found
    for entry in entries:
        # Files we did not name are not ours to delete; symlinks are never followed.
        if not _STORAGE_NAME.match(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
            found.append(entry.name)
    return found


def reap_orphan_files(older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Delete stored and temporary files that no Attachment row names and that are older than ``older_than``."""
    folder = _upload_folder()
    cutoff = time.time() - older_than.total_seconds()
    stored = _old_files(folder, cutoff)
    known: set[str] = set()
    for start in range(0, len(stored), 500):
        batch = stored[start:start + 500]
        known.update(db.session.scalars(select(Attachment.storage_name).where(Attachment.storage_name.in_(batch))))
    # Only reads happened; end the transaction so that SQLite's write lock is not held while deleting.
    db.session.rollback()
    removed = [os.path.join(folder, name) for name in stored if name not in known]
    # A temporary file older than the limit belongs to an upload that died half-way.
    removed += [os.path.join(folder, "tmp", name) for name in _old_files(os.path.join(folder, "tmp"), cutoff)]
    for path in removed:
        _remove(path)
        log.info("upload.reaped path=%s", path)
    return removed


@click.command("reap-uploads")
@click.option("--older-than-hours", default=1.0, show_default=True, type=click.FloatRange(min=0),
              help="Only delete orphan files older than this.")
@with_appcontext
def reap_uploads_command(older_than_hours: float) -> None:
    """Delete uploaded files that no attachment record refers to (left by failed requests)."""
    removed = reap_orphan_files(timedelta(hours=older_than_hours))
    click.echo(f"{len(removed)} orphan file(s) removed")
