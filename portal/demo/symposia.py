"""The Tegucigalpa symposium as the press release describes it, and the follow-up meeting after it."""

from datetime import date, time, timedelta

from portal.extensions import db
from portal.symposia.models import AgendaItem, Symposium, SymposiumParticipant

#: organisation slug, organiser?, delegates by position (the press release names people; the portal keeps positions)
PARTICIPANTS = [
    ("embamex-hnd", True, ["Embajadora de México en Honduras"]),
    ("sreci-hnd", True, ["Viceministra de Asuntos Consulares y Migratorios"]),
    ("dgpm-hnd", False, ["Dirección General de Protección al Hondureño Migrante"]),
    ("ceniss-hnd", False, ["Representación del Centro Nacional de Información del Sector Social"]),
    ("mision-oea-mex", False, ["Presidencia de la Comisión de Asuntos Migratorios de la Misión Permanente ante la OEA"]),
    ("inm-mex", False, ["Dirección Nacional de la Estrategia Somos Mexicanos"]),
    ("rree-slv", False, ["Representación de la Cancillería de El Salvador"]),
    ("minex-gtm", False, ["Representación de la Cancillería de Guatemala"]),
    ("oim-slv-gtm-hnd", False, ["Jefatura de Misión para El Salvador, Guatemala y Honduras"]),
]

#: day (0 or 1), time, item in Spanish and in English, speaker role
PROGRAMME = [
    (0, time(9, 0), "Inauguración", "Opening session",
     "Viceministra de Asuntos Consulares y Migratorios; Embajadora de México"),
    (0, time(9, 45), "La migración en el Triángulo Norte de Centroamérica y México: desafíos compartidos",
     "Migration in the Northern Triangle of Central America and Mexico: shared challenges",
     "Jefatura de Misión de la OIM"),
    (0, time(11, 0), "Coordinación intersectorial en la gestión migratoria",
     "Inter-agency coordination in migration governance", "Cancillerías de El Salvador, Guatemala y Honduras"),
    (0, time(14, 0), "Retorno seguro y reintegración de personas en situación de vulnerabilidad",
     "Safe return and reintegration of people in vulnerable situations",
     "Dirección Nacional de la Estrategia Somos Mexicanos"),
    (1, time(9, 0), "Entrega de la Guía del Migrante a la Dirección de Protección al Migrante",
     "Presentation of the Migrant's Guide to the Directorate for the Protection of Migrants", "OIM"),
    (1, time(10, 0), "Compromisos de corresponsabilidad y próximos pasos", "Co-responsibility commitments and next steps",
     "Organizadores"),
]


def load_demo_symposia(organisations: dict, start: date) -> Symposium:
    """Add the Tegucigalpa symposium (organisations keyed by slug) and its follow-up; return the first."""
    symposium = Symposium(
        slug="tegucigalpa-corresponsabilidad", original_language="es",
        title_es="Simposio sobre Corresponsabilidad en Migración, Retorno y Reintegración",
        title_en="Symposium on Co-Responsibility in Migration, Return and Reintegration",
        start_date=start, end_date=start + timedelta(days=1), city="Tegucigalpa", country_iso3="HND",
        timezone="America/Tegucigalpa",
        description_es="Organizado por la Embajada de México y la Secretaría de Relaciones Exteriores y Cooperación "
                       "Internacional de Honduras, en el marco del proyecto de la OIM *Mejora de la atención, la "
                       "identificación de casos y la protección de personas migrantes en el servicio consular "
                       "hondureño*, con apoyo del Fondo de la OIM para el Desarrollo.",
        description_en="Organised by the Embassy of Mexico and the Ministry of Foreign Affairs and International "
                       "Cooperation of Honduras as part of the IOM project *Improving assistance, case "
                       "identification and protection for migrants in the Honduran consular service*, with the "
                       "support of the IOM Development Fund.")
    for slug, organiser, delegates in PARTICIPANTS:
        symposium.participants.append(SymposiumParticipant(
            organisation_id=organisations[slug].id, is_organiser=organiser, delegates="\n".join(delegates)))
    for day, starts_at, title_es, title_en, speaker in PROGRAMME:
        symposium.agenda.append(AgendaItem(day=start + timedelta(days=day), starts_at=starts_at, title_es=title_es,
                                           title_en=title_en, original_language="es", speaker_role=speaker))
    follow_up = Symposium(
        slug="san-salvador-seguimiento", original_language="es",
        title_es="Reunión de seguimiento de la corresponsabilidad en retorno y reintegración",
        title_en="Follow-up meeting on co-responsibility in return and reintegration",
        start_date=start + timedelta(days=270), end_date=start + timedelta(days=270), city="San Salvador",
        country_iso3="SLV", timezone="America/El_Salvador", previous=symposium,
        description_es="Revisión del avance de los compromisos asumidos en el simposio de Tegucigalpa.",
        description_en="A review of progress on the commitments made at the Tegucigalpa symposium.")
    for slug in ("oim-slv-gtm-hnd", "rree-slv", "sreci-hnd", "minex-gtm", "embamex-hnd"):
        follow_up.participants.append(SymposiumParticipant(
            organisation_id=organisations[slug].id, is_organiser=slug in ("oim-slv-gtm-hnd", "rree-slv")))
    db.session.add_all([symposium, follow_up])
    db.session.flush()
    return symposium
