"""Template globals shared by every module: locale, numbers, the language form.

Each module adds its own permission rules as template globals from its blueprint (and the country
module its names, see ``portal.countries.names``).
"""

from babel.numbers import format_decimal
from flask import Flask, request
from flask_babel import get_locale

from portal.core.audit import audit_label
from portal.core.forms import LanguageForm
from portal.core.markdown import render_markdown
from portal.core.permissions import has_role, is_site_admin, role_label
from portal.core.translated import register_translated_filters


def register_template_helpers(app: Flask) -> None:
    """Expose the helpers every template needs."""
    app.jinja_env.globals.update(
        audit_label=audit_label,
        get_locale=get_locale,
        has_role=has_role,
        role_label=role_label,
        is_site_admin=is_site_admin,
        language_form=_language_form,
    )
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["number"] = format_number
    register_translated_filters(app)
    # {% do %} for statements with side effects; "{% set _ = ... %}" would hide the gettext function "_".
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


#: Number conventions of the region: Central America and Mexico group with "," and use "." for decimals.
NUMBER_LOCALES = {"es": "es_419", "en": "en"}


def format_number(value) -> str:
    """Format a number for the reader (64,000 in Latin American Spanish, not Spain's 64.000)."""
    if value is None:
        return ""
    return format_decimal(value, locale=NUMBER_LOCALES.get(str(get_locale()), "en"))


def _language_form() -> LanguageForm:
    form = LanguageForm(formdata=None)
    form.next.data = request.full_path.rstrip("?") if request else "/"
    return form
