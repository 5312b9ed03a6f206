"""Outgoing mail: SMTP when configured, otherwise written to the log."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("portal.mail")


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """Build a plain-text message; header values cannot carry line breaks."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a message; return True if it went to an SMTP server, False if it was only logged."""
    message = build_message(to, subject, body)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("mail.not_sent (no MAIL_SERVER) to=%r subject=%r\n%s", to, message["Subject"], body)
        return False
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
