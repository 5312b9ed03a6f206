"""Demo joint actions launched at the Tegucigalpa symposium, with their parties, countries and progress.

The consular case-identification project, the assistance to returned families and unaccompanied
children, and the distribution of the Migrant's Guide: each with the partners the press release
names, the route roles of Honduras, Guatemala, El Salvador and Mexico, milestones, links to the demo
commitments, and progress that IOM has verified or questioned. One proposal still awaits an answer.
"""

from datetime import date, timedelta

from sqlalchemy import select

from portal.commitments.models import Commitment, Theme
from portal.demo.commitments import tag_ids
from portal.extensions import db
from portal.joint_actions import service
from portal.minutes.models import Minutes
from portal.progress.service import review_update

#: title, description, lead slug, themes, end (days after the symposium), parties, countries, milestones,
#: titles of the linked demo commitments, whether it came from the symposium's minutes
ACTIONS = [
    {
        "title": "Identificación de casos y protección en el servicio consular hondureño",
        "framework_tags": ["gcm-14"],
        "description": "Proyecto con apoyo del **Fondo de la OIM para el Desarrollo**: protocolos de identificación "
                       "de personas migrantes en situación de vulnerabilidad y capacitación del personal consular "
                       "hondureño en México, con el acompañamiento de la Embajada de México.",
        "lead": "sreci-hnd", "themes": ["consular_protection", "migrant_rights"], "end": 540,
        "parties": [
            ("oim-slv-gtm-hnd", "technical support", ("Diseño de los talleres y del protocolo de identificación de "
                                                      "casos; financiamiento del Fondo de la OIM para el Desarrollo."),
             300),
            ("embamex-hnd", "co-lead", ("Coordinación con las autoridades mexicanas de la notificación consular "
                                        "de personas hondureñas detenidas."), 240),
            ("dgpm-hnd", "partner", "Referencia de los casos identificados a los servicios de protección.", 450),
        ],
        "countries": [("HND", "origin"), ("HND", "return"), ("MEX", "transit"), ("MEX", "destination")],
        "milestones": [("Protocolo de identificación de casos acordado", 120, 110),
                       ("Primer taller regional de personal consular", 90, 90),
                       ("Evaluación final del proyecto", 540, None)],
        "commitments": ["Mejorar la atención, la identificación de casos y la protección en el servicio consular hondureño",
                        "Coordinar la notificación consular de personas hondureñas detenidas en México"],
        "from_minutes": False,
    },
    {
        "title": "Asistencia integral a familias retornadas y a niñez no acompañada en el Triángulo Norte",
        "framework_tags": ["gcm-21", "sdg-10.7", "return-stage-reintegration", "reintegration-level-community"],
        "description": "Atención en los centros de recepción, referencia a programas de reintegración y protocolos "
                       "comunes para niñas, niños y adolescentes no acompañados retornados desde México.",
        "lead": "dgpm-hnd", "themes": ["children_families", "reintegration", "safe_return"], "end": 720,
        "parties": [
            ("oim-slv-gtm-hnd", "technical support", ("Asistencia técnica a los centros de recepción y guía de "
                                                      "referencia a programas de reintegración."), 365),
            ("rree-slv", "partner", "Protocolo de recepción de niñez retornada no acompañada en El Salvador.", 400),
            ("minex-gtm", "partner", "Protección consular de la niñez guatemalteca en tránsito por México.", 450),
            ("inm-mex", "partner", "Información anticipada sobre los retornos de familias y de niñez no acompañada.",
             240),
        ],
        "countries": [("HND", "origin"), ("HND", "return"), ("GTM", "origin"), ("SLV", "origin"),
                      ("MEX", "transit"), ("MEX", "destination")],
        "milestones": [("Protocolo común de recepción de niñez no acompañada", 400, None),
                       ("Referencia de familias retornadas a programas de reintegración", 200, 195)],
        "commitments": ["Asistencia integral a familias retornadas y a niñas, niños y adolescentes no acompañados",
                        "Adoptar un protocolo de recepción para niñez retornada no acompañada",
                        ("Compartir con la red consular hondureña la información sobre personas hondureñas "
                         "retornadas desde México")],
        "from_minutes": False,
    },
    {
        "title": "Distribución de la Guía del Migrante",
        "framework_tags": ["gcm-3"],
        "description": "La OIM entregó 64.000 ejemplares de la **Guía del Migrante**; se distribuyen en las "
                       "embajadas y consulados de Honduras en el exterior, en particular en México, y en los "
                       "centros de atención al migrante retornado.",
        "lead": "oim-slv-gtm-hnd", "themes": ["information_awareness", "prevention_irregular_migration"],
        "end": 365,
        "parties": [
            ("dgpm-hnd", "co-lead", "Distribución de las 64.000 copias en consulados y centros de atención.", 365),
            ("sreci-hnd", "partner", "Envío de la guía a la red consular hondureña por valija diplomática.", 120),
        ],
        "countries": [("HND", "origin"), ("HND", "return"), ("MEX", "transit")],
        "milestones": [("Entrega de las 64.000 copias a la Dirección de Protección al Migrante", 30, 1),
                       ("Guía disponible en todos los consulados en México", 180, None)],
        "commitments": ["Entregar 64.000 copias de la Guía del Migrante a la Dirección de Protección al Migrante",
                        ("Distribuir las 64.000 copias de la Guía del Migrante en embajadas, consulados y centros "
                         "de atención")],
        "from_minutes": True,
    },
]

#: Each action above in English, in the same order: title, description, each partner's deliverable and each
#: milestone.
ENGLISH = [
    {"title": "Case identification and protection in the Honduran consular service",
     "description": "A project supported by the **IOM Development Fund**: protocols to identify migrants in "
                    "vulnerable situations and training for Honduran consular staff in Mexico, with the support "
                    "of the Embassy of Mexico.",
     "deliverables": {
         "oim-slv-gtm-hnd": "Design of the workshops and of the case-identification protocol; funding from the "
                            "IOM Development Fund.",
         "embamex-hnd": "Coordination with the Mexican authorities on consular notification of Hondurans in "
                        "detention.",
         "dgpm-hnd": "Referral of the identified cases to protection services."},
     "milestones": ["Case-identification protocol agreed", "First regional workshop for consular staff",
                    "Final evaluation of the project"]},
    {"title": "Comprehensive assistance to returned families and unaccompanied children in the Northern Triangle",
     "description": "Care at the reception centres, referral to reintegration programmes and shared protocols for "
                    "unaccompanied children and adolescents returned from Mexico.",
     "deliverables": {
         "oim-slv-gtm-hnd": "Technical assistance to the reception centres and a guide to referral to "
                            "reintegration programmes.",
         "rree-slv": "A reception protocol for unaccompanied returned children in El Salvador.",
         "minex-gtm": "Consular protection of Guatemalan children in transit through Mexico.",
         "inm-mex": "Advance notice of the return of families and unaccompanied children."},
     "milestones": ["Common reception protocol for unaccompanied children",
                    "Referral of returned families to reintegration programmes"]},
    {"title": "Distribution of the Migrant's Guide",
     "description": "IOM handed over 64,000 copies of the **Migrant's Guide**; they are distributed through "
                    "Honduran embassies and consulates abroad, in Mexico above all, and through the assistance "
                    "centres for returned migrants.",
     "deliverables": {
         "dgpm-hnd": "Distribution of the 64,000 copies through consulates and assistance centres.",
         "sreci-hnd": "Dispatch of the guide to the Honduran consular network by diplomatic pouch."},
     "milestones": ["Delivery of the 64,000 copies to the Directorate for the Protection of Migrants",
                    "Guide available at every consulate in Mexico"]},
]
#: The lead's own share of each action, in Spanish and English.
LEAD_DELIVERABLE = {"deliverable_es": "Coordinación general y seguimiento.",
                    "deliverable_en": "Overall coordination and follow-up."}

#: action index, party slug, days after the symposium, status, note, IOM verdict
UPDATES = [
    (0, "sreci-hnd", 95, "in_progress", "Primer taller regional realizado con personal de 9 consulados.", "verified"),
    (0, "oim-slv-gtm-hnd", 110, "completed", "Protocolo de identificación de casos entregado a la SRECI.", None),
    (0, "embamex-hnd", 230, "stalled", "El procedimiento de notificación espera la firma de ambas cancillerías.", None),
    (1, "dgpm-hnd", 150, "in_progress", "Protocolo de referencia acordado con los programas de reintegración.", None),
    (1, "oim-slv-gtm-hnd", 160, "in_progress", "Asistencia técnica en los tres centros de recepción.", None),
    (1, "rree-slv", 210, "in_progress", "Borrador del protocolo compartido con las instituciones de niñez.", None),
    (1, "inm-mex", 60, "in_progress", "Primer intercambio de información sobre retornos programados.", "questioned"),
    (2, "oim-slv-gtm-hnd", 1, "completed", "Las 64.000 copias se entregaron durante el simposio.", None),
    (2, "dgpm-hnd", 200, "in_progress", "Distribución en los tres centros de atención al migrante retornado.", None),
    (2, "sreci-hnd", 100, "completed", "Guías enviadas a 14 consulados en México y Estados Unidos.", "verified"),
]
#: A proposal the demo leaves unanswered: (action index, organisation slug, role, deliverable)
PENDING = [(2, "embamex-hnd", "partner", ("Disponer la guía en la sección consular de la Embajada.",
                                          "Make the guide available at the Embassy's consular section."))]
VERDICT_COMMENTS = {"verified": "Confirmado con la lista de asistencia y el acta de entrega.",
                    "questioned": "Falta indicar cuántos retornos se notificaron; por favor completar."}


def load_demo_joint_actions(accounts: dict, symposium) -> list:
    """Add the demo joint actions (accounts keyed by organisation slug) after the commitments and minutes; flush only."""
    start: date = symposium.start_date
    themes = dict(db.session.execute(select(Theme.code, Theme.id)).all())
    minutes_id = db.session.scalar(select(Minutes.id).where(Minutes.symposium_id == symposium.id).limit(1))
    actions = []
    for spec, english in zip(ACTIONS, ENGLISH, strict=True):
        lead = accounts[spec["lead"]]
        action = service.create_action(lead, {
            "title_es": spec["title"], "title_en": english["title"], "description_es": spec["description"],
            "description_en": english["description"], "symposium_id": symposium.id,
            "source_minutes_id": minutes_id if spec["from_minutes"] else None, "visibility": "public",
            "start_date": start + timedelta(days=1), "end_date": start + timedelta(days=spec["end"]),
            "themes": [themes[code] for code in spec["themes"]], "framework_tags": tag_ids(spec["framework_tags"])})
        action.original_language = "es"
        service.update_party(lead, action.parties[0], LEAD_DELIVERABLE)
        for slug, role, deliverable, due in spec["parties"]:
            party = service.propose_partner(lead, action, {
                "organisation_id": accounts[slug].organisation_id, "role": role, "deliverable_es": deliverable,
                "deliverable_en": english["deliverables"][slug], "deliverable_due": start + timedelta(days=due)})
            service.respond(accounts[slug], party, accept=True)
        for iso3, role in spec["countries"]:
            service.add_country(lead, action, iso3, role)
        for (title, due, done), title_en in zip(spec["milestones"], english["milestones"], strict=True):
            milestone = service.add_milestone(lead, action, {
                "title_es": title, "title_en": title_en, "due_date": start + timedelta(days=due),
                "done_on": start + timedelta(days=done) if done else None})
            milestone.original_language = "es"
        for title in spec["commitments"]:
            service.link_commitment(lead, action, db.session.scalar(select(Commitment).where(Commitment.title_es == title)))
        actions.append(action)
    _report(accounts, actions, start)
    for index, slug, role, (spanish, english_text) in PENDING:
        service.propose_partner(accounts[ACTIONS[index]["lead"]], actions[index], {
            "organisation_id": accounts[slug].organisation_id, "role": role, "deliverable_es": spanish,
            "deliverable_en": english_text})
    db.session.flush()
    return actions


def _report(accounts: dict, actions: list, start: date) -> None:
    """Post the parties' progress, oldest first, and IOM's reviews."""
    for index, slug, days, status, note, verdict in sorted(UPDATES, key=lambda row: row[2]):
        action = actions[index]
        party = action.party_of(accounts[slug].organisation_id)
        update = service.report_party_progress(accounts[slug], party, {
            "reported_on": start + timedelta(days=days), "status": status, "note": note})
        if verdict:
            review_update(accounts["oim-slv-gtm-hnd"], update, verdict, VERDICT_COMMENTS[verdict])
