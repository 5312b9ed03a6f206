"""Uploaded tables kept between preview and confirmation: in IMPORT_FOLDER under a random token, for one hour,
for the person who sent them only (never in the session cookie). Confirming claims the file by renaming it, so
a second confirmation finds nothing to import."""

import json
import os
import re
import secrets
import time

from flask import current_app

LIFETIME = 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> str:
    folder = current_app.config["IMPORT_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def _paths(token: str, suffix: str = "") -> tuple[str, str]:
    folder = _folder()
    return os.path.join(folder, f"{token}.data{suffix}"), os.path.join(folder, f"{token}.json")


def reap_expired(now: float | None = None) -> None:
    """Remove the kept tables older than an hour (each new upload sweeps)."""
    now = now or time.time()
    folder = _folder()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > LIFETIME:
                os.remove(path)
        except OSError:
            pass  # removed by another worker meanwhile


def keep(data: bytes, filename: str, user_id: int, symposium_id: int | None = None) -> str:
    """Keep an uploaded table; return its token."""
    reap_expired()
    token = secrets.token_hex(16)
    data_path, meta_path = _paths(token)
    with open(data_path, "wb") as handle:
        handle.write(data)
    with open(meta_path, "w", encoding="utf-8") as handle:
        json.dump({"filename": filename, "user_id": user_id, "symposium_id": symposium_id,
                   "created": time.time()}, handle)
    return token


def load(token: str, user_id: int) -> tuple[bytes, dict] | None:
    """The kept table and its details, if ``token`` names one of ``user_id``'s from the last hour."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    data_path, meta_path = _paths(token)
    try:
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        if meta["user_id"] != user_id or time.time() - meta["created"] > LIFETIME:
            return None
        with open(data_path, "rb") as handle:
            return handle.read(), meta
    except (OSError, ValueError, KeyError):
        return None


def claim(token: str) -> bool:
    """Take the kept table for confirmation; False when another confirmation took it first."""
    data_path, _ = _paths(token)
    try:
        os.rename(data_path, data_path + ".claimed")
    except OSError:
        return False
    return True


def release(token: str) -> None:
    """Give a claimed table back (the confirmation failed and may be tried again)."""
    data_path, _ = _paths(token)
    try:
        os.rename(data_path + ".claimed", data_path)
    except OSError:
        pass


def discard(token: str) -> None:
    """Forget a kept table once imported."""
    for path in (*_paths(token, ".claimed"), _paths(token)[0]):
        try:
            os.remove(path)
        except OSError:
            pass
