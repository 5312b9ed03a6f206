"""The import template: an XLSX in the reader's language with the columns the import reads, one example row, and
drop-down lists (status, theme, country, organisation, symposium) kept on a second sheet."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from portal.commitments.models import Theme
from portal.extensions import db
from portal.organisations.models import Organisation, active_organisations
from portal.progress.models import STATUS_LABELS
from portal.symposia.models import Symposium

ROWS_WITH_LISTS = 5000


def _columns(organisation) -> list[tuple[str, str, str | None]]:
    """(header, example value, list name) per column."""
    return [
        (_("Title"), _("Training of consular staff in the reception of returned children"), None),
        (_("Description"), _("Two workshops a year with the child protection services."), None),
        (_("Organisation"), organisation.display_name if organisation else "", "organisations"),
        (_("Country code"), organisation.country_iso3 if organisation else "", "countries"),
        (_("Symposium"), "", "symposia"),
        (_("Themes"), "", "themes"),
        (_("Status"), str(STATUS_LABELS["planned"]), "statuses"),
        (_("Target date"), "2027-12-31", None),
        (_("Indicator unit"), _("staff trained"), None),
        (_("Baseline"), "0", None),
        (_("Target"), "40", None),
        (_("Achieved"), "", None),
    ]


def _lists() -> dict[str, list[str]]:
    organisations = list(db.session.scalars(active_organisations().order_by(None).order_by(Organisation.name)))
    return {
        "statuses": [str(label) for label in STATUS_LABELS.values()],
        "themes": [theme.name for theme in db.session.scalars(
            select(Theme).where(Theme.is_active.is_(True)).order_by(Theme.position, Theme.id))],
        "countries": sorted({org.country_iso3 for org in organisations}),
        "organisations": [org.display_name for org in organisations],
        "symposia": [str(s.title) for s in db.session.scalars(select(Symposium).order_by(Symposium.start_date.desc()))],
    }


def template_workbook(organisation, language: str) -> bytes:
    """The template as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Commitments")[:31]
    book.properties.language = language
    columns = _columns(organisation)
    sheet.append([header for header, _example, _list in columns])
    sheet.append([example for _header, example, _list in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    lists = book.create_sheet(_("Lists")[:31])
    for index, (name, values) in enumerate(_lists().items(), 1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, 2):
            lists.cell(row=row, column=index, value=value).data_type = "s"
        for column, (_header, _example, list_name) in enumerate(columns, 1):
            if list_name == name and values:
                target = get_column_letter(column)
                validation = DataValidation(type="list", formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
                                            allow_blank=True, showErrorMessage=list_name != "themes")
                validation.error = _("Choose a value from the list.")
                sheet.add_data_validation(validation)
                validation.add(f"{target}2:{target}{ROWS_WITH_LISTS}")
    for column in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 28
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
