"""Joint actions as IATI 2.03 activity files: /actions/iati.xml (every joint action the reader may see) and
/actions/<id>/iati.xml, built with lxml in the element order of the official schema.

Codes follow the IATI codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType,
Sector (DAC 5-digit, only for the themes that map to one), Country (ISO 3166-1 alpha-2).
"""

import tempfile
from datetime import datetime, timezone

from flask import Response, current_app, url_for
from flask_login import current_user
from lxml import etree

from portal.core.exports import in_batches
from portal.core.permissions import public, require_visible
from portal.countries.models import Country
from portal.extensions import db
from portal.joint_actions.blueprint import bp
from portal.joint_actions.models import JointAction
from portal.joint_actions.permissions import can_view_joint_action
from portal.joint_actions.queries import ActionFilters, matching_actions

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Portal status -> IATI ActivityStatus (1 pipeline, 2 implementation, 3 finalisation, 5 cancelled, 6 suspended).
STATUS = {"planned": "1", "in_progress": "2", "completed": "3", "cancelled": "5", "stalled": "6"}
#: Party role -> IATI OrganisationRole (1 funding, 2 accountable, 4 implementing).
ROLE = {"lead": "2", "co-lead": "4", "partner": "4", "technical support": "4", "funder": "1"}
#: Organisation kind -> IATI OrganisationType (10 government, 40 multilateral, 22 national NGO, 90 other).
ORG_TYPE = {"ministry": "10", "embassy": "10", "iom_office": "40", "international": "40", "civil_society": "22",
            "other": "90"}
#: Themes that map to a DAC 5-digit sector; the others are left out rather than forced into one.
SECTOR = {"migrant_rights": "15160", "intersectoral_coordination": "15110", "reintegration": "16010",
          "children_families": "16010"}


def _narrative(parent, tag: str, text: str, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _narratives(parent, tag: str, texts: dict[str, str | None], **attributes):
    """One narrative per language written: Spanish (the activity's default language) as is, English with
    its xml:lang."""
    element = etree.SubElement(parent, tag, **attributes)
    for lang, text in texts.items():
        if text:
            narrative = etree.SubElement(element, "narrative", **({XML_LANG: lang} if lang != "es" else {}))
            narrative.text = text
    return element


def _org(parent, tag: str, ref: str | None, kind: str, name: str, **attributes):
    attributes = {**({"ref": ref} if ref else {}), "type": kind, **attributes}
    return _narrative(parent, tag, name, **attributes)


def _shares(count: int) -> list[str]:
    """Equal percentages that add up to 100 exactly."""
    base = round(100 / count, 2)
    return [f"{base:.2f}"] * (count - 1) + [f"{100 - base * (count - 1):.2f}"]


def activity(action: JointAction, iso2: dict[str, str]) -> etree._Element:
    """One joint action as an ``iati-activity`` element."""
    config = current_app.config
    element = etree.Element("iati-activity", {XML_LANG: "es", "default-currency": "USD"})
    element.set("last-updated-datetime", action.updated_at.astimezone(timezone.utc).isoformat(timespec="seconds"))
    etree.SubElement(element, "iati-identifier").text = f"{config['IATI_REPORTING_ORG_REF']}-JA-{action.id}"
    _org(element, "reporting-org", config["IATI_REPORTING_ORG_REF"], config["IATI_REPORTING_ORG_TYPE"],
         config["IATI_REPORTING_ORG_NAME"])
    _narratives(element, "title", action.texts("title"))
    has_description = any(action.texts("description").values())
    _narratives(element, "description", action.texts("description" if has_description else "title"), type="1")
    for party in action.accepted_parties:
        _org(element, "participating-org", None, ORG_TYPE.get(party.organisation.kind, "90"),
             party.organisation.display_name, role=ROLE.get(party.role, "4"))
    etree.SubElement(element, "activity-status", code=STATUS[action.status])
    started = action.status != "planned"
    start = action.start_date or action.created_at.date()
    etree.SubElement(element, "activity-date", type="2" if started and action.start_date else "1",
                     **{"iso-date": start.isoformat()})
    if action.end_date:
        etree.SubElement(element, "activity-date", type="4" if action.status == "completed" else "3",
                         **{"iso-date": action.end_date.isoformat()})
    codes = sorted({entry.country_iso3 for entry in action.countries if entry.country_iso3 in iso2})
    for code, share in zip(codes, _shares(len(codes)) if codes else []):
        etree.SubElement(element, "recipient-country", code=iso2[code], percentage=share)
    sectors = sorted({SECTOR[theme.code] for theme in action.themes if theme.code in SECTOR})
    for code, share in zip(sectors, _shares(len(sectors)) if sectors else []):
        etree.SubElement(element, "sector", vocabulary="1", code=code, percentage=share)
    link = etree.SubElement(element, "document-link", format="text/html",
                            url=url_for("joint_actions.detail", action_id=action.id, _external=True))
    _narratives(link, "title", action.texts("title"))
    etree.SubElement(link, "category", code="A12")  # DocumentCategory A12: activity web page
    return element


def _iso2() -> dict[str, str]:
    return dict(db.session.execute(db.select(Country.iso3, Country.iso2)).all())


def iati_file(actions) -> tempfile.SpooledTemporaryFile:
    """Write ``actions`` as one ``iati-activities`` document, element by element (constant memory)."""
    iso2 = _iso2()
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with etree.xmlfile(spool, encoding="utf-8") as document:
        document.write_declaration()
        with document.element("iati-activities", version="2.03", **{"generated-datetime": generated}):
            for action in actions:
                document.write(activity(action, iso2))
    spool.seek(0)
    return spool


def _xml_response(spool, filename: str) -> Response:
    def generate():
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return Response(generate(), mimetype="application/xml",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/iati.xml")
@public
def iati_all():
    """Every joint action the reader may see, as an IATI 2.03 activity file."""
    actions = in_batches(matching_actions(current_user, ActionFilters()), JointAction.id)
    return _xml_response(iati_file(actions), "joint-actions-iati.xml")


@bp.get("/<id:action_id>/iati.xml")
@public
def iati_one(action_id: int):
    """One joint action as an IATI 2.03 activity file."""
    action = db.get_or_404(JointAction, action_id)
    require_visible(can_view_joint_action(current_user, action))
    return _xml_response(iati_file([action]), f"joint-action-{action.id}-iati.xml")
