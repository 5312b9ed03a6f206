"""Locale selection: the user's preference, then the explicit switch, then the browser, then Spanish."""

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel
from flask_login import current_user

#: The compiled catalogs ship inside the package, beside this module's parent.
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """Pick the interface language for the current request."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or default


def configure_i18n(app: Flask, babel: Babel) -> None:
    """Bind Flask-Babel with the portal's catalogs and locale selector."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
