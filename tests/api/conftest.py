"""A small world for the API and open-data tests: two ministries, one item of each visibility of each kind,
and personal access tokens in every state (usable, revoked, expired, of a disabled account)."""

from datetime import timedelta

import pytest

from portal.api.models import ApiToken, hash_token, new_token
from portal.core.clock import local_today
from portal.core.db import utcnow
from portal.extensions import db
from portal.joint_actions.models import JointAction, Party

VISIBILITIES = ("public", "partners", "parties")


def make_token(app, user, days: int = 30, revoked: bool = False, name: str = "script") -> str:
    """Store a token for ``user`` the way the profile page does; return the raw token."""
    raw = new_token()
    with app.app_context():
        db.session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), hint=raw[:8],
                                expires_on=local_today() + timedelta(days=days),
                                revoked_at=utcnow() if revoked else None))
        db.session.commit()
    return raw


def make_action(app, lead, author, visibility: str, title: str) -> int:
    with app.app_context():
        action = JointAction(title_es=title, lead_organisation_id=lead.id, visibility=visibility,
                             created_by_id=author.id)
        db.session.add(action)
        db.session.flush()
        db.session.add(Party(action_id=action.id, organisation_id=lead.id, role="lead", response="accepted",
                             proposed_by_id=author.id))
        db.session.commit()
        return action.id


@pytest.fixture
def world(app, factory):
    """Items of every visibility owned by ``owner``; ``other`` is a partner that is not a party."""
    owner = factory.organisation(slug="sreci", name="Cancillería de Honduras")
    other = factory.organisation(slug="minex", name="Cancillería de Guatemala", country="GTM")
    owner_editor = factory.user(owner, role="editor", email="editor@sreci.example")
    other_editor = factory.user(other, role="editor", email="editor@minex.example")
    disabled = factory.user(owner, role="editor", email="gone@sreci.example", is_enabled=False)
    commitments = {v: factory.commitment(owner, v, author=owner_editor, title=f"Compromiso {v}").id
                   for v in VISIBILITIES}
    actions = {v: make_action(app, owner, owner_editor, v, f"Acción {v}") for v in VISIBILITIES}
    tokens = {
        "anonymous": None,
        "partner": make_token(app, other_editor),
        "party": make_token(app, owner_editor),
    }
    bad_tokens = {
        "revoked": make_token(app, owner_editor, revoked=True),
        "expired": make_token(app, owner_editor, days=-1),
        "disabled": make_token(app, disabled),
        "unknown": new_token(),
    }
    return {"owner": owner, "other": other, "owner_editor": owner_editor, "other_editor": other_editor,
            "commitments": commitments, "actions": actions, "tokens": tokens, "bad_tokens": bad_tokens}


def bearer(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


def all_items(client, url: str, token: str | None = None) -> list[dict]:
    """Follow ``next`` from ``url`` to the last page; return every item."""
    items = []
    while url:
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 200, response.get_data(as_text=True)
        items += response.json["items"]
        url = response.json["next"]
    return items
