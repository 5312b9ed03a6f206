"""Template globals: locale, country names, permission rules for buttons, the language form."""

from flask import Flask, request
from flask_babel import get_locale

from portal.core.forms import LanguageForm
from portal.core.markdown import render_markdown
from portal.core.permissions import has_role, is_site_admin, role_label
from portal.countries.names import country_name


def register_template_helpers(app: Flask) -> None:
    """Expose the helpers templates need; permission rules here only show or hide buttons."""
    from portal.organisations import permissions as org_rules

    app.jinja_env.globals.update(
        get_locale=get_locale,
        country_name=country_name,
        has_role=has_role,
        role_label=role_label,
        is_site_admin=is_site_admin,
        can_manage_organisations=org_rules.can_manage_organisations,
        can_manage_people=org_rules.can_manage_people,
        can_edit_member=org_rules.can_edit_member,
        language_form=_language_form,
    )
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _language_form() -> LanguageForm:
    form = LanguageForm(formdata=None)
    form.next.data = request.full_path.rstrip("?") if request else "/"
    return form
