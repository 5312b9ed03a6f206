"""Demo commitments from the Tegucigalpa symposium, with progress over the months since.

Dates are relative to the day the demo is loaded, so the follow-up looks as it would on a
live portal: some items on track, one overdue, one unreported, one questioned.
"""

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from portal.commitments import service
from portal.commitments.models import Theme
from portal.demo.symposia import load_demo_symposia
from portal.extensions import db
from portal.frameworks.models import tag_by_slug
from portal.progress import service as progress
from portal.symposia.models import Symposium

SYMPOSIUM_DAYS_AGO = 300

#: owner slug, title, description, themes, target (days after the symposium), visibility, indicator
COMMITMENTS = [
    ("dgpm-hnd", "Distribuir las 64.000 copias de la Guía del Migrante en embajadas, consulados y centros de atención",
     "La Dirección General de Protección al Hondureño Migrante distribuye la **Guía del Migrante** entregada por la "
     "OIM: derechos y responsabilidades de las personas en movilidad, programas de apoyo a personas retornadas y "
     "riesgos de la migración irregular.\n\n- Embajadas y consulados de Honduras en el exterior\n"
     "- Centros de atención al migrante retornado",
     ["information_awareness", "consular_protection"], 365, "public", ("copias distribuidas", 0, 64000)),
    ("oim-slv-gtm-hnd", "Entregar 64.000 copias de la Guía del Migrante a la Dirección de Protección al Migrante",
     "Guía elaborada en el proyecto de asistencia integral a familias y niñez migrante no acompañada retornada al "
     "Triángulo Norte de Centroamérica.", ["information_awareness"], 30, "public", ("copias entregadas", 0, 64000)),
    ("sreci-hnd", "Mejorar la atención, la identificación de casos y la protección en el servicio consular hondureño",
     "Capacitación del personal consular y protocolos de identificación de casos de personas migrantes en "
     "situación de vulnerabilidad, con el apoyo del Fondo de la OIM para el Desarrollo.",
     ["consular_protection", "migrant_rights"], 540, "public", ("funcionarios consulares capacitados", 0, 120)),
    ("dgpm-hnd", "Asistencia integral a familias retornadas y a niñas, niños y adolescentes no acompañados",
     "Atención en los centros de recepción y referencia a programas de reintegración en las comunidades de origen.",
     ["children_families", "reintegration"], 720, "public", None),
    ("sreci-hnd", "Mesa de coordinación intersectorial sobre gestión migratoria",
     "Reuniones trimestrales entre cancillería, instituciones de protección social, estadística y la OIM.",
     ["intersectoral_coordination"], 120, "partners", None),
    ("ceniss-hnd", "Publicar cada trimestre las cifras de personas retornadas, incluidas las retornadas más de una vez",
     "De enero de 2014 al primer semestre de 2016, unas 95.250 personas migrantes fueron retornadas a Honduras; "
     "el 12,5 % había sido retornado más de una vez.", ["reintegration", "information_awareness"], 720, "public",
     ("informes trimestrales publicados", 0, 8)),
    ("inm-mex", "Compartir con la red consular hondureña la información sobre personas hondureñas retornadas desde México",
     "Intercambio mensual de datos agregados, sin datos personales.", ["safe_return", "intersectoral_coordination"],
     240, "partners", None),
    ("rree-slv", "Adoptar un protocolo de recepción para niñez retornada no acompañada",
     "Protocolo común con las instituciones de protección de la niñez.", ["children_families", "safe_return"], 400,
     "public", None),
    ("minex-gtm", "Ampliar la protección consular de personas guatemaltecas en tránsito por México",
     "Consulados móviles en la ruta migratoria.", ["consular_protection", "prevention_irregular_migration"], 450,
     "public", None),
    ("mision-oea-mex", "Incluir el retorno y la reintegración en la agenda de la Comisión de Asuntos Migratorios de la OEA",
     "", ["intersectoral_coordination"], 180, "public", None),
    ("embamex-hnd", "Coordinar la notificación consular de personas hondureñas detenidas en México",
     "Procedimiento acordado con la cancillería hondureña.", ["consular_protection"], 200, "parties", None),
]

#: Each commitment above in English (title, description), in the same order: the partners write in both.
ENGLISH = [
    ("Distribute the 64,000 copies of the Migrant's Guide through embassies, consulates and assistance centres",
     "The Directorate-General for the Protection of Honduran Migrants distributes the **Migrant's Guide** provided "
     "by IOM: the rights and responsibilities of people on the move, support programmes for returnees and the "
     "risks of irregular migration.\n\n- Honduran embassies and consulates abroad\n"
     "- Assistance centres for returned migrants"),
    ("Hand over 64,000 copies of the Migrant's Guide to the Directorate for Migrant Protection",
     "A guide produced by the project assisting returned migrant families and unaccompanied children in the "
     "Northern Triangle of Central America."),
    ("Improve care, case identification and protection in the Honduran consular service",
     "Training for consular staff and protocols to identify migrants in vulnerable situations, supported by the "
     "IOM Development Fund."),
    ("Comprehensive assistance to returned families and to unaccompanied children and adolescents",
     "Care at the reception centres and referral to reintegration programmes in the communities of origin."),
    ("Inter-agency coordination table on migration management",
     "Quarterly meetings of the foreign ministry, the social protection and statistics institutions, and IOM."),
    ("Publish quarterly figures on returnees, including people returned more than once",
     "From January 2014 to the first half of 2016, some 95,250 migrants were returned to Honduras; 12.5% of them "
     "had been returned more than once."),
    ("Share information on Hondurans returned from Mexico with the Honduran consular network",
     "A monthly exchange of aggregate figures, with no personal data."),
    ("Adopt a reception protocol for unaccompanied returned children",
     "A protocol shared with the child protection institutions."),
    ("Extend consular protection to Guatemalans in transit through Mexico",
     "Mobile consulates along the migration route."),
    ("Put return and reintegration on the agenda of the OAS Committee on Migration Issues", ""),
    ("Coordinate consular notification of Hondurans detained in Mexico",
     "A procedure agreed with the Honduran foreign ministry."),
]

#: The frameworks each commitment above contributes to, by tag ("framework-code"), in the same order.
COMMITMENT_TAGS = [
    ["gcm-3", "gcm-21"], ["gcm-3"], ["gcm-14", "gcm-7"],
    ["gcm-21", "sdg-16.2", "return-stage-return", "reintegration-dimension-social",
     "reintegration-dimension-psychosocial", "reintegration-level-individual"],
    ["gcm-23", "reintegration-level-structural"], ["gcm-1", "sdg-17.18"],
    ["gcm-21", "gcm-1", "return-stage-pre-departure"], ["gcm-21", "sdg-16.2", "return-stage-return"],
    ["gcm-14", "gcm-7"], ["gcm-23", "gcm-21"], ["gcm-14"],
]


def tag_ids(slugs: list[str]) -> list[int]:
    """The ids of the framework tags named "framework-code"."""
    return [tag_by_slug(slug).id for slug in slugs]


#: commitment index, days after the symposium, status, note, indicator value, review verdict by IOM
UPDATES = [
    (1, 10, "completed", "Las 64.000 copias se entregaron a la Dirección durante el simposio, según el acta de entrega.",
     64000, None),
    (0, 60, "in_progress", "Primer envío a 14 consulados en México y Estados Unidos.", 12000, "verified"),
    (0, 200, "in_progress", "Distribución en los tres centros de atención al migrante retornado.", 38500, None),
    (2, 90, "in_progress", "Primer taller regional con personal consular de 9 consulados.", 35, "verified"),
    (2, 240, "in_progress", "Segundo taller realizado.", 80, "questioned"),
    (3, 150, "in_progress", "Protocolo de referencia acordado con los programas de reintegración.", None, None),
    (5, 100, "in_progress", "Primer informe trimestral publicado.", 1, "verified"),
    (5, 190, "in_progress", "Segundo informe trimestral publicado.", 2, None),
    (6, 45, "in_progress", "Primer intercambio de datos realizado.", None, None),
    (8, 210, "stalled", "Los consulados móviles están suspendidos por falta de presupuesto.", None, None),
    (9, 120, "completed", "El tema se incluyó en la sesión ordinaria de la Comisión; consta en el orden del día publicado.",
     None, "verified"),
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=timezone.utc)


def load_demo_commitments(accounts: dict, today: date | None = None) -> Symposium:
    """Add the Tegucigalpa symposium, its commitments and their progress; accounts are keyed by org slug."""
    today = today or date.today()
    start = today - timedelta(days=SYMPOSIUM_DAYS_AGO)
    organisations = {slug: user.organisation for slug, user in accounts.items()}
    symposium = load_demo_symposia(organisations, start)
    themes = {theme.code: theme.id for theme in db.session.scalars(select(Theme))}
    commitments = []
    for (slug, title, description, codes, target_days, visibility, indicator), tags, (title_en, description_en) \
            in zip(COMMITMENTS, COMMITMENT_TAGS, ENGLISH, strict=True):
        unit, baseline, target = indicator or (None, None, None)
        data = {"title_es": title, "title_en": title_en, "description_es": description,
                "description_en": description_en, "themes": [themes[code] for code in codes],
                "framework_tags": tag_ids(tags),
                "symposium_id": symposium.id, "target_date": start + timedelta(days=target_days),
                "visibility": visibility, "indicator_unit": unit,
                "indicator_baseline": Decimal(baseline) if indicator else None,
                "indicator_target": Decimal(target) if indicator else None}
        commitment = service.create_commitment(accounts[slug], data, None)
        commitment.original_language = "es"
        commitment.created_at = commitment.updated_at = _at(start + timedelta(days=1))
        commitments.append(commitment)
    iom = accounts["oim-slv-gtm-hnd"]
    for index, days, status, note, value, verdict in UPDATES:
        commitment = commitments[index]
        owner = accounts[commitment.organisation.slug]
        update = progress.report_progress(owner, commitment, {
            "reported_on": start + timedelta(days=days), "status": status, "note": note,
            "indicator_value": Decimal(value) if value is not None else None})
        update.created_at = _at(start + timedelta(days=days))
        if verdict:
            comment = "Confirmado con el acta y las fotografías." if verdict == "verified" else \
                "El informe del taller no indica cuántas personas asistieron; por favor adjuntar la lista."
            progress.review_update(iom, update, verdict, comment)
    _renegotiate_mobile_consulates(accounts, commitments[8])
    db.session.flush()
    return symposium


def _renegotiate_mobile_consulates(accounts: dict, commitment) -> None:
    """The mobile consulates stalled for lack of budget; the partners agreed a later date."""
    data = {field: getattr(commitment, field) for field in service.EDITABLE_FIELDS}
    data.update(themes=[theme.id for theme in commitment.themes],
                framework_tags=[tag.id for tag in commitment.framework_tags],
                target_date=commitment.target_date + timedelta(days=180),
                change_reason="Los consulados móviles se suspendieron por falta de presupuesto; las partes "
                              "acordaron una nueva fecha en la reunión de seguimiento.",
                agreed_at="partners")
    service.update_commitment(accounts[commitment.organisation.slug], commitment, data)
