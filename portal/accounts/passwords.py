"""Password rules: length limits and a check against a list of common passwords.

The list is the 30,000 most common passwords bundled with the ``zxcvbn`` package. A
password is refused when it, or its letters with trailing digits and symbols removed,
is on the list, so that "password123456" counts as common.
"""

import re
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

_TRAILING_NOISE = re.compile(r"[\d\W_]+$")
_LEADING_NOISE = re.compile(r"^[\d\W_]+")
# Spent on unknown accounts so that their answer takes as long as a wrong password's.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the bundled list of common passwords, lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Tell whether a password is, or is built on, a commonly used password."""
    lowered = password.lower()
    core = _LEADING_NOISE.sub("", _TRAILING_NOISE.sub("", lowered))
    candidates = {lowered, core, lowered.replace(" ", "")}
    if len(set(lowered)) <= 3 or lowered.isdigit():
        return True
    return any(candidate in common_passwords() for candidate in candidates if len(candidate) >= 4)


def password_problem(password: str, email: str | None = None) -> str | None:
    """Return why a new password is refused, or None if it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    maximum = current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        return str(_l("Use at least %(min)d characters.", min=minimum))
    if len(password) > maximum:
        return str(_l("Use at most %(max)d characters.", max=maximum))
    if is_common(password):
        return str(_l("This password is too common. Choose a longer phrase that others would not guess."))
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 4:
        return str(_l("The password must not contain your e-mail address."))
    return None


def hash_password(password: str) -> str:
    """Hash a password with scrypt."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password, spending the same time when the account has no password."""
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
