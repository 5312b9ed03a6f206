"""The open data page: every dataset the portal publishes, its formats, licence and last change, with
schema.org Dataset JSON-LD for dataset search engines. Dates come from what the reader may see."""

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from portal.commitments.models import Commitment
from portal.commitments.permissions import visible_commitments_filter
from portal.core.permissions import public
from portal.extensions import db
from portal.joint_actions.models import JointAction
from portal.joint_actions.permissions import visible_actions_filter
from portal.minutes.queries import approved_minutes
from portal.organisations.models import Organisation
from portal.public.routes import bp
from portal.symposia.models import Symposium

#: (key, name, description, [(format label, media type, endpoint)], how to find the last change)
DATASETS = [
    ("commitments", _l("Commitments"), _l("What each institution committed to: organisation, country, symposium, "
                                          "themes, status, target date, indicator, follow-up state."),
     [("JSON (API)", "application/json", "api.commitments"),
      ("CSV (HXL)", "text/csv", "commitment_exports.commitments_csv"),
      ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
       "commitment_exports.commitments_xlsx"),
      ("Atom", "application/atom+xml", "public.progress_feed")],
     lambda user: select(func.max(Commitment.updated_at)).where(visible_commitments_filter(user))),
    ("joint-actions", _l("Joint actions"), _l("What institutions of several countries do together: parties and "
                                              "roles, countries and route roles, milestones, status."),
     [("JSON (API)", "application/json", "api.joint_actions"),
      ("CSV (HXL)", "text/csv", "action_exports.actions_csv"),
      ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "action_exports.actions_xlsx"),
      ("IATI 2.03", "application/xml", "joint_actions.iati_all")],
     lambda user: select(func.max(JointAction.updated_at)).where(visible_actions_filter(user))),
    ("symposia", _l("Symposia"), _l("The meetings of the dialogue: dates, place, participants, follow-up scorecard."),
     [("JSON (API)", "application/json", "api.symposia"), ("iCalendar", "text/calendar", "public.symposia_calendar")],
     lambda user: select(func.max(Symposium.updated_at))),
    ("countries", _l("Countries"), _l("Each country's institutions, commitment figures and context figures with "
                                      "their source."),
     [("JSON (API)", "application/json", "api.countries")],
     lambda user: select(func.max(Organisation.updated_at))),
    ("organisations", _l("Organisations"), _l("The ministries, embassies, IOM offices and other institutions "
                                              "taking part."),
     [("JSON (API)", "application/json", "api.organisations")],
     lambda user: select(func.max(Organisation.updated_at)).where(Organisation.is_active.is_(True))),
    ("minutes", _l("Minutes"), _l("Approved minutes of the meetings: text, decisions."),
     [("JSON (API)", "application/json", "api.minutes")],
     lambda user: select(func.max(approved_minutes(user).subquery().c.updated_at))),
]


def datasets() -> list[dict]:
    """Each dataset with its links and last change, as the current reader sees them."""
    return [{"key": key, "name": str(name), "description": str(description),
             "formats": [(label, media, url_for(endpoint, _external=True)) for label, media, endpoint in formats],
             "modified": db.session.scalar(last_change(current_user))}
            for key, name, description, formats, last_change in DATASETS]


def json_ld(items: list[dict]) -> dict:
    """A schema.org DataCatalog of Datasets, each with its downloads."""
    licence = current_app.config["DATA_LICENCE_URL"]
    publisher = {"@type": "Organization", "name": str(_l("Co-responsibility portal")),
                 "url": url_for("public.home", _external=True)}
    return {
        "@context": "https://schema.org", "@type": "DataCatalog", "name": str(_l("Open data")),
        "url": url_for("public.open_data", _external=True), "license": licence, "publisher": publisher,
        "dataset": [{
            "@type": "Dataset", "@id": url_for("public.open_data", _external=True) + "#" + item["key"],
            "name": item["name"], "description": item["description"], "license": licence, "publisher": publisher,
            "isAccessibleForFree": True,
            **({"dateModified": item["modified"].isoformat()} if item["modified"] else {}),
            "distribution": [{"@type": "DataDownload", "name": label, "encodingFormat": media, "contentUrl": url}
                             for label, media, url in item["formats"]],
        } for item in items],
    }


@bp.get("/data")
@public
def open_data():
    """List every dataset with its formats, licence and last change, and describe them in JSON-LD."""
    items = datasets()
    return render_template("public/data.html", datasets=items, structured=json_ld(items),
                           licence=(current_app.config["DATA_LICENCE_NAME"], current_app.config["DATA_LICENCE_URL"]))
