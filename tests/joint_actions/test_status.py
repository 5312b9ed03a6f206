"""The overall status of a joint action, derived from its accepted parties' statuses, for every combination.

The rule (models.derive_status): no accepted party -> planned; every party cancelled -> cancelled;
otherwise, leaving the cancelled parties aside: any stalled -> stalled; all completed -> completed;
any in progress or completed -> in progress; else planned. The result depends only on which statuses
occur, so the table below lists every set of statuses; every multiset of up to four parties is then
checked against the row of its set, and the portal's stored status (what lists filter on) against both.
"""

import threading
import time
from itertools import combinations_with_replacement

import pytest

from portal.joint_actions import service
from portal.joint_actions.models import derive_status
from tests.joint_actions.support import Actions, browser, listed

P, I, C, S, X = "planned", "in_progress", "completed", "stalled", "cancelled"

#: Every set of party statuses (2^5 = 32 rows, the empty set included) and the overall status it gives.
TABLE = {
    frozenset(): P,
    frozenset({P}): P, frozenset({I}): I, frozenset({C}): C, frozenset({S}): S, frozenset({X}): X,
    frozenset({P, I}): I, frozenset({P, C}): I, frozenset({P, S}): S, frozenset({P, X}): P,
    frozenset({I, C}): I, frozenset({I, S}): S, frozenset({I, X}): I,
    frozenset({C, S}): S, frozenset({C, X}): C,
    frozenset({S, X}): S,
    frozenset({P, I, C}): I, frozenset({P, I, S}): S, frozenset({P, I, X}): I, frozenset({P, C, S}): S,
    frozenset({P, C, X}): I, frozenset({P, S, X}): S, frozenset({I, C, S}): S, frozenset({I, C, X}): I,
    frozenset({I, S, X}): S, frozenset({C, S, X}): S,
    frozenset({P, I, C, S}): S, frozenset({P, I, C, X}): I, frozenset({P, I, S, X}): S, frozenset({P, C, S, X}): S,
    frozenset({I, C, S, X}): S,
    frozenset({P, I, C, S, X}): S,
}
STATUSES = (P, I, C, S, X)


def test_the_table_covers_every_set_of_statuses():
    assert len(TABLE) == 2 ** len(STATUSES)


@pytest.mark.parametrize("present", list(TABLE), ids=lambda present: "+".join(sorted(present)) or "no-party")
def test_each_set_of_statuses_gives_its_overall_status(present):
    assert derive_status(present) == TABLE[present]


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_every_combination_of_parties_follows_the_row_of_its_set(size):
    for statuses in combinations_with_replacement(STATUSES, size):
        assert derive_status(statuses) == TABLE[frozenset(statuses)], statuses


def test_the_stored_status_follows_the_accepted_parties_only(app, cast):
    """Reports and answers update the status lists filter on; pending and declined partners weigh nothing
    (they stay "planned": were they counted, the action could never be completed below)."""
    actions = Actions(app, cast)
    action_id = actions.create("public")
    lead = actions.lead_party(action_id)
    partner = actions.propose(action_id, "partner")
    actions.propose(action_id, "declined", answer="decline")
    actions.propose(action_id, "pending", answer=None)
    assert actions.load(action_id).status == P
    client = browser(app)
    for party_id, author, status, overall in [
        (partner, "partner_editor", C, I), (lead, "lead_editor", S, S), (lead, "lead_editor", C, C),
        (partner, "partner_editor", X, C), (lead, "lead_editor", X, X),
    ]:
        actions.report(party_id, author, status)
        assert actions.load(action_id).status == overall, (author, status)
        assert listed(client.text(f"/actions/?status={overall}")) == [action_id]
        assert listed(client.text(f"/actions/?status={P if overall != P else I}")) == []


def test_two_parties_reporting_at_once_leave_the_right_status(app, cast, monkeypatch):
    """Each report derives the status after the other's is committed, not from a stale view.

    On PostgreSQL the lock on the action orders the two; SQLite orders all writers (BEGIN IMMEDIATE).
    """
    actions = Actions(app, cast)
    action_id = actions.create("public")
    lead, partner = actions.lead_party(action_id), actions.propose(action_id, "partner")
    original = service.derive_status

    def slow(statuses):
        statuses = list(statuses)
        time.sleep(0.3)  # widen the window between reading the statuses and committing
        return original(statuses)

    monkeypatch.setattr(service, "derive_status", slow)
    errors = []

    def report(party_id, author):
        try:
            actions.report(party_id, author, C)
        except Exception as error:  # noqa: BLE001  (a thread's failure is reported below)
            errors.append(error)

    threads = [threading.Thread(target=report, args=(lead, "lead_editor")),
               threading.Thread(target=report, args=(partner, "partner_editor"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert actions.load(action_id).status == C
