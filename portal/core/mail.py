"""Outgoing mail: SMTP when MAIL_SERVER is configured, otherwise an .eml file in the outbox folder.

Without a mail server (development, a first installation) each message is written to
``instance/outbox/`` (MAIL_OUTBOX) as a standard .eml file that any mail client opens, and logged.
"""

import logging
import os
import smtplib
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from uuid import uuid4

from flask import current_app

from portal.core.db import utcnow
from portal.core.metrics import count_mail

log = logging.getLogger("portal.mail")


def build_message(to: str, subject: str, body: str, language: str | None = None) -> EmailMessage:
    """Build a plain-text message; header values cannot carry line breaks."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    if language:  # after set_content, which replaces every Content-* header
        message["Content-Language"] = language
    return message


def outbox_folder() -> str:
    """The folder .eml files are written to when no mail server is configured."""
    return os.path.join(current_app.instance_path, current_app.config.get("MAIL_OUTBOX") or "outbox")


def _write_to_outbox(message: EmailMessage) -> str:
    """Write the message as an .eml file (written under a temporary name, then renamed: never half a file)."""
    folder = outbox_folder()
    os.makedirs(folder, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid4().hex[:12]}.eml"
    path = os.path.join(folder, name)
    with open(path + ".part", "wb") as handle:
        handle.write(message.as_bytes())
    os.replace(path + ".part", path)
    return path


def send_message(message: EmailMessage, log_body: bool = True) -> bool:
    """Send a built message; return True if it went to an SMTP server, False if it went to the outbox.

    ``log_body=False`` keeps a message carrying a secret (a reset link) out of the log.
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        path = _write_to_outbox(message)
        log.info("mail.not_sent (no MAIL_SERVER) to=%r subject=%r file=%s\n%s", message["To"], message["Subject"],
                 path, message.get_content() if log_body else "(not logged: it carries a secret link)")
        return False
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        count_mail(sent=False)
        raise
    count_mail(sent=True)
    return True


def send_mail(to: str, subject: str, body: str, language: str | None = None) -> bool:
    """Send a plain-text message; return True if it went to an SMTP server, False if it went to the outbox."""
    return send_message(build_message(to, subject, body, language))


_background: list[threading.Thread] = []


def send_in_background(message: EmailMessage) -> None:
    """Send a message from a thread, so that the answer to the request does not wait for (or reveal) it.

    Used where the time of an answer must not tell whether a mail was sent (password resets).
    A failure is logged; the thread is not a daemon, so a stopping worker finishes sending first. The
    body is never logged: such messages carry secret links.
    """
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            try:
                send_message(message, log_body=False)
            except OSError:
                log.exception("mail.failed to=%r subject=%r", message["To"], message["Subject"])

    thread = threading.Thread(target=deliver, name="portal-mail")
    _background[:] = [t for t in _background if t.is_alive()] + [thread]
    thread.start()


def wait_for_background_mail(timeout: float | None = None) -> None:
    """Wait until every message handed to send_in_background has been sent or has failed."""
    for thread in _background:
        thread.join(timeout)
