"""Demo minutes: the approved record of the Tegucigalpa symposium and a circulated follow-up meeting.

The symposium's minutes are written by the IOM mission, attended by every demo organisation, endorsed
by six delegations and public; they were corrected once after approval (revision 2, so the comparison
page has something to show), and two of their action items already became the demo commitments they
asked for (linked both ways). The follow-up meeting's minutes are still circulating for endorsement.
"""

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from portal.commitments.models import Commitment
from portal.extensions import db
from portal.minutes import service
from portal.minutes.models import Minutes

SYMPOSIUM_BODY = """\
# Apertura

La Secretaría de Relaciones Exteriores y Cooperación Internacional de Honduras (SRECI) y la Embajada de
México en Honduras, con la Organización Internacional para las Migraciones (OIM), abrieron el simposio
sobre **corresponsabilidad en migración, retorno y reintegración**. Participaron la Viceministra de Asuntos
Consulares y Migratorios de Honduras, la Embajadora de México en Honduras, la Presidencia de la Comisión de
Asuntos Migratorios de la Misión Permanente de México ante la OEA, la Dirección Nacional de la Estrategia
Somos Mexicanos del Instituto Nacional de Migración, las cancillerías de El Salvador y Guatemala y la
Jefatura de Misión de la OIM para El Salvador, Guatemala y Honduras.

# Temas tratados

- La coordinación intersectorial en la gestión migratoria.
- Las medidas para un **retorno seguro** y la **reintegración** de las personas migrantes, en particular de
  quienes se encuentran en situación de vulnerabilidad.
- Los desafíos crecientes de la migración en el **Triángulo Norte de Centroamérica y México**, y su impacto
  en el desarrollo de los países de origen, tránsito y destino.
- La prevención de la migración irregular y la promoción de los derechos y el bienestar de las personas
  migrantes.

# Cifras presentadas

Según el Centro Nacional de Información del Sector Social (CENISS), de enero de 2014 al primer semestre
de 2016 unas 95.250 personas migrantes fueron retornadas a Honduras; alrededor del 12,5 % había sido
retornado más de una vez.

# Entrega de la Guía del Migrante

La OIM entregó 64.000 ejemplares de la **Guía del Migrante** a la Dirección General de Protección al
Hondureño Migrante. La guía informa sobre los derechos y responsabilidades de las personas en movilidad,
los programas de apoyo a personas retornadas y los riesgos de la migración irregular. Se distribuirá en
las embajadas y consulados de Honduras en el exterior y en los centros de atención al migrante retornado.

El simposio se realizó en el marco del proyecto de la OIM *Mejora de la atención, la identificación de
casos y la protección de personas migrantes en el servicio consular hondureño*, con apoyo del Fondo de la
OIM para el Desarrollo.
"""

#: The text first approved: the figure was later corrected and the project paragraph added (revision 2).
APPROVED_BODY = (SYMPOSIUM_BODY.split("\nEl simposio se realizó")[0]
                 .replace("alrededor del 12,5 %", "alrededor del 12 %"))
REVISION_REASON = ("Corrección de la cifra de personas retornadas más de una vez (12,5 %, según el CENISS) y "
                   "referencia al proyecto de la OIM en cuyo marco se realizó el simposio, a solicitud de "
                   "la SRECI.")

SYMPOSIUM_DECISIONS = """\
1. Las delegaciones reconocen la **corresponsabilidad** de los países de origen, tránsito y destino en el
   retorno y la reintegración de las personas migrantes.
2. Cada institución registrará en el portal los compromisos asumidos y dará cuenta de sus avances.
3. La Guía del Migrante se distribuirá en la red consular hondureña y en los centros de atención al
   migrante retornado durante el año siguiente al simposio.
4. Las delegaciones se reunirán de nuevo para revisar los avances.
"""

#: Titles of the demo commitments (portal/demo/commitments.py) that two action items became.
GUIDE_DELIVERY = ("Entregar 64.000 copias de la Guía del Migrante a la Dirección de Protección al "
                  "Migrante")
GUIDE_DISTRIBUTION = ("Distribuir las 64.000 copias de la Guía del Migrante en embajadas, consulados y "
                      "centros de atención")
#: responsible organisation slug, description, due (days after the symposium), commitment title or None
SYMPOSIUM_ITEMS = [
    ("oim-slv-gtm-hnd",
     ("Entregar 64.000 copias de la Guía del Migrante a la Dirección General de Protección al Hondureño "
      "Migrante.",
      "Deliver 64,000 copies of the Migrant's Guide to the Directorate-General for the Protection of Honduran "
      "Migrants."),
     30, GUIDE_DELIVERY),
    ("dgpm-hnd",
     ("Distribuir la Guía del Migrante en las embajadas y consulados de Honduras y en los centros de "
      "atención al migrante retornado.",
      "Distribute the Migrant's Guide through the embassies and consulates of Honduras and the assistance "
      "centres for returned migrants."),
     365, GUIDE_DISTRIBUTION),
    ("ceniss-hnd",
     ("Compartir con las delegaciones las cifras actualizadas de personas retornadas a Honduras, incluidas "
      "las retornadas más de una vez.",
      "Share with the delegations the updated figures of people returned to Honduras, including those "
      "returned more than once."),
     90, None),
    ("sreci-hnd", ("Convocar a las delegaciones a una reunión virtual de seguimiento de los compromisos.",
                   "Convene the delegations to a virtual meeting to follow up on the commitments."),
     120, None),
]
SYMPOSIUM_ENDORSERS = ["oim-slv-gtm-hnd", "sreci-hnd", "embamex-hnd", "inm-mex", "rree-slv", "minex-gtm"]

FOLLOW_UP_BODY = """\
La SRECI convocó una reunión virtual para revisar los compromisos del simposio de Tegucigalpa.

- La OIM confirmó la entrega de las 64.000 copias de la Guía del Migrante.
- La Dirección General de Protección al Hondureño Migrante informó del primer envío a los consulados en
  México y Estados Unidos.
- El CENISS presentó su primer informe trimestral de personas retornadas.
- La Embajada de México propuso un procedimiento común de notificación consular.
"""
FOLLOW_UP_DECISIONS = "1. Mantener reuniones virtuales trimestrales.\n2. Revisar en la próxima reunión la " \
    "distribución de la guía en los centros de atención."
FOLLOW_UP_ATTENDEES = ["dgpm-hnd", "ceniss-hnd", "embamex-hnd", "oim-slv-gtm-hnd"]
FOLLOW_UP_ITEMS = [
    ("dgpm-hnd", ("Informar del número de guías distribuidas en cada centro de atención.",
                  "Report the number of guides distributed at each assistance centre."), 210),
    ("embamex-hnd", ("Enviar a la SRECI la propuesta de procedimiento de notificación consular.",
                     "Submit to SRECI the proposed consular notification procedure."), 150),
]


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def _symposium_minutes(accounts: dict, symposium) -> Minutes:
    author = accounts["oim-slv-gtm-hnd"]
    start = symposium.start_date
    minutes = service.create_minutes(author, {
        "title": "Acta del Simposio sobre Corresponsabilidad en Migración, Retorno y Reintegración",
        "symposium_id": symposium.id, "meeting_date": start, "place": "Tegucigalpa, Honduras",
        "is_virtual": False, "visibility": "public", "body": APPROVED_BODY, "decisions": SYMPOSIUM_DECISIONS,
        "attendees": [user.organisation_id for user in accounts.values()]})
    for slug, (spanish, english), due_days, commitment_title in SYMPOSIUM_ITEMS:
        item = service.add_action_item(author, minutes, {
            "description_es": spanish, "description_en": english,
            "responsible_organisation_id": accounts[slug].organisation_id,
            "due_date": start + timedelta(days=due_days)})
        item.original_language = "es"
        if commitment_title:
            commitment = db.session.scalar(select(Commitment).where(Commitment.title_es == commitment_title))
            item.commitment_id = commitment.id
            commitment.source_minutes_id = minutes.id
    service.circulate(author, minutes)
    for slug in SYMPOSIUM_ENDORSERS:
        endorsement = service.endorse(accounts[slug], minutes)
        endorsement.created_at = _at(start + timedelta(days=5 + SYMPOSIUM_ENDORSERS.index(slug)))
    first = service.approve(author, minutes)
    second = service.revise(author, minutes, {"title": minutes.title, "body": SYMPOSIUM_BODY,
                                              "decisions": SYMPOSIUM_DECISIONS, "visibility": "public",
                                              "reason": REVISION_REASON})
    minutes.created_at = _at(start + timedelta(days=2))
    minutes.circulated_at = _at(start + timedelta(days=4))
    minutes.approved_at = first.created_at = _at(start + timedelta(days=14))
    second.created_at = minutes.updated_at = _at(start + timedelta(days=40))
    return minutes


def _follow_up_minutes(accounts: dict, meeting_date: date) -> Minutes:
    author = accounts["sreci-hnd"]
    minutes = service.create_minutes(author, {
        "title": "Reunión virtual de seguimiento de los compromisos de Tegucigalpa", "symposium_id": None,
        "meeting_date": meeting_date, "place": None, "is_virtual": True, "visibility": "partners",
        "body": FOLLOW_UP_BODY, "decisions": FOLLOW_UP_DECISIONS,
        "attendees": [accounts[slug].organisation_id for slug in FOLLOW_UP_ATTENDEES]})
    for slug, (spanish, english), due_days in FOLLOW_UP_ITEMS:
        item = service.add_action_item(author, minutes, {
            "description_es": spanish, "description_en": english,
            "responsible_organisation_id": accounts[slug].organisation_id,
            "due_date": meeting_date + timedelta(days=due_days)})
        item.original_language = "es"
    service.circulate(author, minutes)
    service.endorse(accounts["oim-slv-gtm-hnd"], minutes)
    service.endorse(accounts["dgpm-hnd"], minutes)
    service.add_comment(accounts["ceniss-hnd"], minutes,
                        "Proponemos añadir que el segundo informe trimestral se publicará el mes próximo.")
    minutes.created_at = _at(meeting_date + timedelta(days=1))
    minutes.circulated_at = minutes.updated_at = _at(meeting_date + timedelta(days=3))
    return minutes


def load_demo_minutes(accounts: dict, symposium) -> list[Minutes]:
    """Add the demo minutes (accounts keyed by organisation slug) after the demo commitments; flush only."""
    minutes = [_symposium_minutes(accounts, symposium),
               _follow_up_minutes(accounts, symposium.start_date + timedelta(days=125))]
    db.session.flush()
    return minutes
