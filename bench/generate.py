"""Fill a fresh database with a large, realistic data set for the public-page benchmarks.

    .venv/bin/python bench/generate.py /tmp/perf/big.sqlite3
    .venv/bin/python bench/generate.py postgresql+psycopg://postgres@127.0.0.1:5432/perf_bench
    .venv/bin/python bench/generate.py /tmp/perf/small.sqlite3 --scale 0.01

At scale 1: organisations in 200 countries, 5,000 organisations (one account each), 1,000 symposia
(series, participants, programme), 100,000 commitments (themes, indicators, every status and
visibility), 500,000 progress updates (470,000 on commitments, 30,000 on joint-action parties;
a fifth reviewed), 5,000 joint actions (parties, countries with their roles, milestones, linked
commitments), 20,000 minutes (three quarters on symposia; attendees, action items, revisions,
endorsements) and the audit events of the commitments. Everything is drawn from a seeded random
generator, so the same command gives the same database. Derived columns are kept as the portal
keeps them: a commitment's status, last report, review state and achieved value are its latest
update's; a party's likewise; a joint action's status is derived from its accepted parties'.

The database is emptied first (SQLite: the file is replaced; PostgreSQL: the public schema is
dropped) and migrated with Alembic. Rows go in with SQLAlchemy Core executemany in chunks.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

BASE = {"countries": 200, "organisations": 5_000, "symposia": 1_000, "commitments": 100_000,
        "commitment_updates": 470_000, "party_updates": 30_000, "joint_actions": 5_000, "minutes": 20_000}
STATUSES = ["planned", "in_progress", "completed", "stalled", "cancelled"]
#: Where a commitment's story ends: most are under way, many done, some stalled or dropped.
FINAL_WEIGHTS = [10, 45, 28, 12, 5]
KINDS = (["ministry"] * 55 + ["embassy"] * 25 + ["international"] * 6 + ["civil_society"] * 10
         + ["other"] * 3 + ["iom_office"] * 1)
REGION = ["HND", "SLV", "GTM", "MEX", "USA", "NIC", "CRI", "PAN", "BLZ", "COL", "ECU", "PER", "DOM", "CUB", "HTI",
          "VEN", "CAN", "ESP", "BRA", "ARG", "CHL", "BOL", "PRY", "URY"]
VERBS = ["Fortalecer", "Ampliar", "Crear", "Capacitar a", "Establecer", "Mejorar", "Coordinar", "Documentar",
         "Financiar", "Poner en marcha"]
OBJECTS = ["los centros de atención al migrante retornado", "la red consular de protección",
           "el registro de personas retornadas", "los programas de reinserción laboral",
           "la atención psicosocial de niñas, niños y adolescentes no acompañados",
           "el intercambio de información entre cancillerías", "las campañas de información sobre migración segura",
           "la certificación de competencias de personas retornadas", "los protocolos de recepción en fronteras",
           "la mesa interinstitucional de retorno y reintegración"]
PLACES = ["Tegucigalpa", "San Salvador", "Ciudad de Guatemala", "Ciudad de México", "San Pedro Sula", "Tapachula",
          "Managua", "San José", "Panamá", "Washington", "Bogotá", "Quito", "Lima", "Madrid"]
UNITS = ["personas retornadas atendidas", "funcionarios capacitados", "centros equipados", "casos documentados",
         "municipios cubiertos"]
NOTES = ["Se realizaron reuniones de coordinación con las instituciones socias.",
         "Se capacitó al personal consular en el nuevo protocolo.",
         "El informe trimestral está disponible en la página de la institución.",
         "Se firmó el convenio con los gobiernos locales.",
         "La actividad se reprogramó por falta de presupuesto.",
         "Se atendieron los casos recibidos en el periodo."]
EPOCH = date(2014, 1, 1)
END = date(2026, 11, 20)
CHUNK = 5_000
PASSWORD_HASH = ("scrypt:4096:8:1$benchsalt$" + "0" * 128)  # no one signs in to the benchmark database


def utc(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, dtime(hour % 24, 0), tzinfo=timezone.utc)


def spread(rng: random.Random, start: date = EPOCH, end: date = END) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


class Loader:
    """Inserts rows table by table, in chunks, on one connection."""

    def __init__(self, connection, metadata):
        self.connection = connection
        self.tables = metadata.tables
        self.counts: dict[str, int] = {}

    def put(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        statement = insert(self.tables[table])
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(statement, rows[start:start + CHUNK])
        self.counts[table] = self.counts.get(table, 0) + len(rows)


def fresh_database(target: str) -> str:
    """Empty the target database and return its SQLAlchemy URL."""
    if "://" not in target:
        path = Path(target).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    engine = create_engine(target)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return target


def make_app(url: str):
    os.environ.setdefault("PORTAL_INSTANCE_PATH", tempfile.mkdtemp(prefix="portal-bench-"))
    from portal import create_app

    return create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-checks-2026",
                       "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True})


def generate(connection, metadata, scale: float, seed: int) -> dict[str, int]:
    """Insert the whole data set; return the row counts per table."""
    rng = random.Random(seed)
    n = {key: max(int(value * scale), 1) for key, value in BASE.items()}
    n["countries"] = max(min(BASE["countries"], int(BASE["countries"] * scale ** 0.5)), 5)
    load = Loader(connection, metadata)
    tables = metadata.tables

    all_codes = sorted(connection.execute(select(tables["countries"].c.iso3)).scalars())
    others = [code for code in all_codes if code not in REGION]
    codes = [code for code in REGION if code in all_codes][: n["countries"]]
    codes += rng.sample(others, max(n["countries"] - len(codes), 0))
    # Most activity is in the region of the dialogue: the first countries are drawn far more often.
    weights = [40 if index < 5 else 8 if index < len(REGION) else 1 for index in range(len(codes))]
    theme_ids = list(connection.execute(select(tables["themes"].c.id).order_by(tables["themes"].c.id)).scalars())
    # The seeded framework tags; GCM 21 (return and reintegration) is drawn far more often, as in the region.
    tag_ids = list(connection.execute(select(tables["framework_tags"].c.id, tables["framework_tags"].c.code,
                                             tables["framework_tags"].c.framework)))
    tag_weights = [30 if (framework, code) == ("gcm", "21") else 3 for _, code, framework in tag_ids]
    tag_ids = [row[0] for row in tag_ids]

    # Organisations, one account each (items belong to organisations; accounts are needed as authors).
    organisations, users, org_country = [], [], {}
    for org_id in range(1, n["organisations"] + 1):
        kind = rng.choice(KINDS)
        country = rng.choices(codes, weights)[0]
        host = rng.choice(codes) if kind == "embassy" else None
        created = utc(spread(rng, EPOCH, date(2016, 1, 1)))
        organisations.append({"id": org_id, "slug": f"org-{org_id}", "name": f"Institución {org_id} ({country})",
                              "name_en": f"Institution {org_id} ({country})" if org_id % 3 else None,
                              "acronym": f"I{org_id}", "kind": kind, "country_iso3": country,
                              "host_country_iso3": host, "website": None, "is_active": rng.random() > 0.03,
                              "created_at": created, "updated_at": created, "version": 1})
        users.append({"id": org_id, "email": f"focal{org_id}@bench.example", "password_hash": PASSWORD_HASH,
                      "position": "Punto focal", "organisation_id": org_id, "role": "editor", "is_site_admin": False,
                      "is_enabled": True, "session_epoch": f"{org_id:032x}", "created_at": created,
                      "updated_at": created, "version": 1, "digest_frequency": "weekly"})
        org_country[org_id] = country
    load.put("organisations", organisations)
    load.put("users", users)
    iom_ids = [row["id"] for row in organisations if row["kind"] == "iom_office"] or [1]
    orgs_by_country: dict[str, list[int]] = {}
    for org_id, country in org_country.items():
        orgs_by_country.setdefault(country, []).append(org_id)
    org_ids = list(org_country)

    context = [{"country_iso3": code, "label_es": "Personas retornadas", "label_en": "Returned migrants",
                "value": Decimal(rng.randrange(1_000, 200_000)), "unit": "", "period": f"{year} – {year + 2}",
                "source": "Instituto nacional de estadística", "source_url": None, "note": "", "position": position,
                "created_by_id": 1, "is_archived": False, "created_at": utc(EPOCH), "updated_at": utc(EPOCH),
                "version": 1}
               for code in codes for position, year in enumerate(rng.sample(range(2014, 2024), 2))]
    load.put("context_figures", context)

    # Symposia in series of about five, each meeting following up the previous one.
    symposia, participants, agenda = [], [], []
    symposium_dates = {}
    series_previous = None
    for sid in range(1, n["symposia"] + 1):
        start = spread(rng, EPOCH, date(2026, 10, 1))
        country = rng.choices(codes, weights)[0]
        previous = series_previous if rng.random() < 0.8 and series_previous else None
        symposia.append({"id": sid, "slug": f"simposio-{sid}", "title_es": f"Simposio {sid} sobre corresponsabilidad",
                         "title_en": f"Symposium {sid} on co-responsibility", "original_language": "es",
                         "start_date": start,
                         "end_date": start + timedelta(days=rng.choice([0, 1, 2])), "city": rng.choice(PLACES),
                         "country_iso3": country, "timezone": "America/Tegucigalpa",
                         "description_es": "Diálogo regional sobre **retorno** y reintegración.",
                         "description_en": "Regional dialogue on **return** and reintegration." if sid % 2 else None,
                         "previous_id": previous,
                         "created_by_id": 1, "created_at": utc(start), "updated_at": utc(start), "version": 1})
        symposium_dates[sid] = start
        series_previous = sid if sid % 5 else None
        for position, org_id in enumerate(rng.sample(org_ids, min(8, len(org_ids)))):
            participants.append({"symposium_id": sid, "organisation_id": org_id, "is_organiser": position < 2,
                                 "delegates": "Viceministro\nDirectora de asuntos consulares"})
        for slot in range(6):
            agenda.append({"symposium_id": sid, "day": start, "starts_at": dtime(9 + slot),
                           "title_es": f"Sesión {slot + 1}", "title_en": f"Session {slot + 1}" if slot % 2 else None,
                           "original_language": "es",
                           "speaker_role": "Viceministerio de Asuntos Consulares"})
    load.put("symposia", symposia)
    load.put("symposium_participants", participants)
    load.put("agenda_items", agenda)
    symposium_ids = list(symposium_dates)

    # Commitments and their updates; the derived columns come from the latest update.
    commitments, links, updates, reviews, audits = [], [], [], [], []
    tagged, changes = [], []
    per_commitment = [0] * (n["commitments"] + 1)
    for _ in range(n["commitment_updates"]):
        per_commitment[rng.randrange(1, n["commitments"] + 1)] += 1
    update_id = 0
    for cid in range(1, n["commitments"] + 1):
        org_id = rng.choice(org_ids)
        symposium_id = rng.choice(symposium_ids) if rng.random() < 0.8 else None
        created_on = symposium_dates[symposium_id] if symposium_id else spread(rng)
        created = utc(created_on)
        visibility = rng.choices(["public", "partners", "parties"], [60, 30, 10])[0]
        has_indicator = rng.random() < 0.3
        target = Decimal(rng.randrange(10, 5_000)) if has_indicator else None
        final = rng.choices(STATUSES, FINAL_WEIGHTS)[0]
        row = {"id": cid, "title_es": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({cid})",
               # A third also written in English, as partners do for their English-speaking readers.
               "title_en": f"Commitment {cid} on return and reintegration" if cid % 3 == 0 else None,
               "description_es": "Compromiso asumido en el diálogo regional.\n\n- Acción 1\n- Acción 2",
               "description_en": "Commitment made at the regional dialogue." if cid % 3 == 0 else None,
               "original_language": "es",
               "organisation_id": org_id, "symposium_id": symposium_id,
               "target_date": created_on + timedelta(days=rng.randrange(90, 1500)) if rng.random() < 0.85 else None,
               "visibility": visibility, "status": "planned", "indicator_unit": rng.choice(UNITS) if has_indicator else None,
               "indicator_baseline": Decimal(0) if has_indicator else None, "indicator_target": target,
               "indicator_achieved": None, "last_reported_on": None, "review_state": "none", "created_by_id": org_id,
               "is_archived": rng.random() < 0.02, "archived_at": None, "idempotency_key": None,
               "source_minutes_id": None, "is_renegotiated": False, "created_at": created, "updated_at": created,
               "version": 1}
        for theme_id in rng.sample(theme_ids, rng.choice([1, 1, 2, 2, 3])):
            links.append({"commitment_id": cid, "theme_id": theme_id})
        if rng.random() < 0.4:  # four in ten are tagged with one to three frameworks' codes
            for tag_id in set(rng.choices(tag_ids, tag_weights, k=rng.choice([1, 1, 2, 3]))):
                tagged.append({"commitment_id": cid, "tag_id": tag_id})
        if row["target_date"] and rng.random() < 0.08:  # some deadlines were moved by agreement
            original = row["target_date"] - timedelta(days=rng.choice([90, 180, 365]))
            row["is_renegotiated"] = True
            changes.append({"commitment_id": cid, "field": "target_date", "old_value": original.isoformat(),
                            "new_value": row["target_date"].isoformat(), "reason": "Acordado en el simposio.",
                            "agreed_at": "symposium" if symposium_id else "partners", "symposium_id": symposium_id,
                            "minutes_id": None, "author_id": org_id, "organisation_id": org_id,
                            "created_at": utc(min(original, END))})
        audits.append({"created_at": created, "actor_id": org_id, "actor_organisation_id": org_id, "action": "create",
                       "object_type": "commitments", "object_id": cid, "changes": {}})
        count = per_commitment[cid]
        days = sorted(spread(rng, created_on, max(END, created_on + timedelta(days=2))) for _ in range(count))
        for step, day in enumerate(days):
            update_id += 1
            status = final if step == count - 1 else rng.choice(["in_progress", "in_progress", "planned", "stalled"])
            review = rng.choices(["pending", "verified", "questioned"], [80, 16, 4])[0]
            value = (target * Decimal(step + 1) / count).quantize(Decimal("1")) if has_indicator else None
            updates.append({"id": update_id, "commitment_id": cid, "party_id": None, "reported_on": day, "status": status,
                            "note": rng.choice(NOTES), "indicator_value": value,
                            "evidence_url": "https://example.org/informe.pdf" if rng.random() < 0.2 else None,
                            "attachment_id": None, "author_id": org_id, "organisation_id": org_id,
                            "created_at": utc(day), "review_state": review, "idempotency_key": None})
            if review != "pending":
                reviewer = rng.choice(iom_ids)
                reviews.append({"update_id": update_id, "verdict": review, "comment": "Revisado con la evidencia.",
                                "reviewer_id": reviewer, "reviewer_organisation_id": reviewer,
                                "created_at": utc(day, 18)})
            audits.append({"created_at": utc(day), "actor_id": org_id, "actor_organisation_id": org_id,
                           "action": "report_progress", "object_type": "commitments", "object_id": cid,
                           "changes": {"status": [row["status"], status], "update": update_id}})
            row.update(status=status, last_reported_on=day, review_state=review,
                       indicator_achieved=value if value is not None else row["indicator_achieved"],
                       updated_at=utc(day))
        commitments.append(row)
        if len(updates) > 50_000:
            _flush_commitments(load, commitments, links, updates, reviews, audits, tagged, changes)
    _flush_commitments(load, commitments, links, updates, reviews, audits, tagged, changes)
    commitment_ids = range(1, n["commitments"] + 1)

    # Joint actions: a lead and partners (mostly accepted), two or three countries on a route, milestones.
    actions, parties, action_countries, milestones, action_themes, action_links = [], [], [], [], [], []
    action_tags = []
    party_rows = []
    for aid in range(1, n["joint_actions"] + 1):
        members = rng.sample(org_ids, rng.randint(2, 5))
        start = spread(rng, EPOCH, date(2026, 6, 1))
        visibility = rng.choices(["public", "partners", "parties"], [60, 30, 10])[0]
        actions.append({"id": aid, "title_es": f"Acción conjunta {aid}: {rng.choice(OBJECTS)}",
                        "title_en": f"Joint action {aid}" if aid % 2 == 0 else None,
                        "description_es": "Acción conjunta entre países de origen, tránsito y destino.",
                        "description_en": None, "original_language": "es",
                        "lead_organisation_id": members[0], "symposium_id": rng.choice(symposium_ids)
                        if rng.random() < 0.6 else None, "source_minutes_id": None, "start_date": start,
                        "end_date": start + timedelta(days=rng.randrange(180, 1200)), "visibility": visibility,
                        "status": "planned", "created_by_id": members[0], "idempotency_key": None,
                        "created_at": utc(start), "updated_at": utc(start), "version": 1})
        for position, org_id in enumerate(members):
            response = "accepted" if position == 0 or rng.random() < 0.85 else rng.choice(["proposed", "declined"])
            party = {"action_id": aid, "organisation_id": org_id, "role": "lead" if position == 0 else
                     rng.choice(["partner", "partner", "co-lead", "technical support", "funder"]),
                     "deliverable_es": "Entregable de la parte.", "deliverable_en": None, "original_language": "es", "deliverable_due": None, "status": "planned",
                     "response": response, "responded_at": utc(start), "proposed_by_id": members[0],
                     "last_reported_on": None, "review_state": "none", "position": position, "created_at": utc(start)}
            parties.append(party)
        route = rng.sample(codes[:12] if rng.random() < 0.7 else codes, 3 if rng.random() < 0.5 else 2)
        for position, (code, role) in enumerate(zip(route, ["origin", "transit", "destination"])):
            action_countries.append({"action_id": aid, "country_iso3": code,
                                     "role": role if position < len(route) - 1 else "destination",
                                     "position": position})
        for m in range(rng.randint(0, 3)):
            due = start + timedelta(days=90 * (m + 1))
            milestones.append({"action_id": aid, "title": f"Hito {m + 1}", "due_date": due,
                               "done_on": due if due < END and rng.random() < 0.6 else None})
        for theme_id in rng.sample(theme_ids, rng.choice([1, 2])):
            action_themes.append({"joint_action_id": aid, "theme_id": theme_id})
        if rng.random() < 0.5:
            for tag_id in set(rng.choices(tag_ids, tag_weights, k=rng.choice([1, 2]))):
                action_tags.append({"joint_action_id": aid, "tag_id": tag_id})
        for cid in set(rng.sample(commitment_ids, rng.randint(0, 3))):
            action_links.append({"joint_action_id": aid, "commitment_id": cid})
    for party_id, party in enumerate(parties, 1):
        party["id"] = party_id
    accepted = [party for party in parties if party["response"] == "accepted"]
    for _ in range(n["party_updates"]):
        party = rng.choice(accepted)
        day = spread(rng, actions[party["action_id"] - 1]["start_date"], END)
        party_rows.append((party, day))
    party_rows.sort(key=lambda pair: pair[1])
    for party, day in party_rows:
        update_id += 1
        status = rng.choices(STATUSES, FINAL_WEIGHTS)[0]
        review = rng.choices(["pending", "verified", "questioned"], [80, 16, 4])[0]
        updates.append({"id": update_id, "commitment_id": None, "party_id": party["id"], "reported_on": day,
                        "status": status, "note": rng.choice(NOTES), "indicator_value": None, "evidence_url": None,
                        "attachment_id": None, "author_id": party["organisation_id"],
                        "organisation_id": party["organisation_id"], "created_at": utc(day), "review_state": review,
                        "idempotency_key": None})
        party.update(status=status, last_reported_on=day, review_state=review)
    from portal.joint_actions.models import derive_status

    by_action: dict[int, list[str]] = {}
    for party in accepted:
        by_action.setdefault(party["action_id"], []).append(party["status"])
    for action in actions:
        action["status"] = derive_status(by_action.get(action["id"], [])).value
    load.put("joint_actions", actions)
    load.put("joint_action_parties", parties)
    load.put("joint_action_countries", action_countries)
    load.put("joint_action_milestones", milestones)
    load.put("joint_action_themes", action_themes)
    load.put("joint_action_framework_tags", action_tags)
    load.put("joint_action_commitments", action_links)
    load.put("progress_updates", updates)
    updates.clear()

    # Minutes: most on symposia, mostly approved; attendees, action items, revisions, endorsements.
    minutes, attendees, items, revisions, endorsements = [], [], [], [], []
    for mid in range(1, n["minutes"] + 1):
        symposium_id = rng.choice(symposium_ids) if rng.random() < 0.75 else None
        day = symposium_dates[symposium_id] if symposium_id else spread(rng)
        author = rng.choice(org_ids)
        status = rng.choices(["draft", "circulated", "approved"], [10, 15, 75])[0]
        visibility = rng.choices(["public", "partners", "parties"], [55, 35, 10])[0]
        body = "## Acuerdos\n\nLas delegaciones acordaron fortalecer la coordinación.\n\n" * 3
        minutes.append({"id": mid, "title": f"Acta de la sesión {mid}", "symposium_id": symposium_id,
                        "meeting_date": day, "place": rng.choice(PLACES), "is_virtual": rng.random() < 0.3,
                        "author_organisation_id": author, "status": status, "visibility": visibility, "body": body,
                        "decisions": "1. Dar seguimiento trimestral.", "created_by_id": author,
                        "circulated_at": utc(day, 20) if status != "draft" else None,
                        "approved_at": utc(day + timedelta(days=7)) if status == "approved" else None,
                        "idempotency_key": None, "created_at": utc(day), "updated_at": utc(day), "version": 1})
        present = set(rng.sample(org_ids, rng.randint(2, 5))) | {author}
        for org_id in present:
            attendees.append({"minutes_id": mid, "organisation_id": org_id})
        for position in range(rng.randint(0, 3)):
            items.append({"minutes_id": mid, "description": "Enviar el informe de avance.",
                          "responsible_organisation_id": rng.choice(sorted(present)),
                          "due_date": day + timedelta(days=90), "position": position, "commitment_id": None,
                          "idempotency_key": None})
        if status == "approved":
            revisions.append({"minutes_id": mid, "number": 1, "title": f"Acta de la sesión {mid}", "body": body,
                              "decisions": "1. Dar seguimiento trimestral.", "reason": "", "author_id": author,
                              "organisation_id": author, "created_at": utc(day + timedelta(days=7))})
        if status != "draft":
            for org_id in sorted(present)[: rng.randint(0, len(present))]:
                endorsements.append({"minutes_id": mid, "organisation_id": org_id, "user_id": org_id,
                                     "created_at": utc(day + timedelta(days=3))})
    load.put("minutes", minutes)
    load.put("minutes_attendees", attendees)
    load.put("minutes_action_items", items)
    load.put("minutes_revisions", revisions)
    load.put("minutes_endorsements", endorsements)
    return load.counts


def _flush_commitments(load, commitments, links, updates, reviews, audits, tagged, changes) -> None:
    """Write the commitments built so far with their tags, schedule changes, updates, reviews and audit events
    (keeps memory flat)."""
    load.put("commitments", commitments)
    load.put("commitment_themes", links)
    load.put("commitment_framework_tags", tagged)
    load.put("commitment_schedule_changes", changes)
    load.put("progress_updates", updates)
    load.put("update_reviews", reviews)
    load.put("audit_events", audits)
    for rows in (commitments, links, updates, reviews, audits, tagged, changes):
        rows.clear()


def reset_sequences(connection, metadata) -> None:
    """PostgreSQL: move each id sequence past the ids inserted explicitly."""
    for table in metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.name != "cache_generation":
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="SQLite file path or PostgreSQL URL (emptied first!)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data set (e.g. 0.01)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    url = fresh_database(args.target)
    app = make_app(url)
    from flask_migrate import upgrade

    from portal.commitments.tallies import recompute_tallies
    from portal.core.cache import bump_generation
    from portal.extensions import db

    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        migrated = time.perf_counter()
        with db.engine.begin() as connection:
            counts = generate(connection, db.metadata, args.scale, args.seed)
            # The rows went in with Core on a connection, past the listeners that keep the tallies in step.
            recompute_tallies(connection)
            if connection.dialect.name == "postgresql":
                reset_sequences(connection, db.metadata)
            bump_generation(connection)
        loaded = time.perf_counter()
        # Planner statistics, as PostgreSQL's autovacuum would gather them (the index migration runs ANALYZE
        # on SQLite too).
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        db.engine.dispose()
    done = time.perf_counter()
    for table, rows in sorted(counts.items()):
        print(f"{table:28} {rows:>9,}")
    print(f"generated {sum(counts.values()):,} rows into {url.split('@')[-1]} (scale {args.scale}, seed {args.seed}) "
          f"in {done - began:.1f} s: migrate {migrated - began:.1f} s, insert {loaded - migrated:.1f} s, "
          f"analyze {done - loaded:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
