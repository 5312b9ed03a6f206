"""Limits on costly actions: 429 with Retry-After and a page in the reader's language, per account or address,
and shared by every worker through Redis."""

import uuid

import pytest
import redis

from portal.core.limits import COSTLY_ACTIONS
from tests.factories import PASSWORD
from tests.helpers import Browser, translated

REDIS = "redis://127.0.0.1:6379/7"


def test_every_limited_endpoint_exists(app):
    assert set(COSTLY_ACTIONS) <= set(app.view_functions)


def _export(browser):
    response = browser.get("/followup.csv", headers={"Accept-Language": "en"})
    # Read the (streamed) file to its end as a download would, so its generator finishes inside the request
    # instead of being collected later, outside any application context.
    response.get_data()
    response.close()
    return response


def _iom_editor(factory, email="oim@iom.example"):
    iom = factory.organisation(kind="iom_office")
    return factory.user(email=email, organisation=iom, role="editor")


def test_exports_answer_429_with_retry_after_in_the_readers_language(make_app, factory):
    app = make_app(RATE_LIMITS={**make_app().config["RATE_LIMITS"], "exports": "2 per hour"})
    _iom_editor(factory)
    browser = Browser(app)
    browser.login("oim@iom.example", PASSWORD)
    assert [_export(browser).status_code for _ in range(2)] == [200, 200]
    refused = _export(browser)
    assert refused.status_code == 429
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    assert "Too many attempts" in refused.get_data(as_text=True)
    spanish = browser.get("/followup.csv", headers={"Accept-Language": "es"})
    assert translated(app, "Too many attempts", "es") in spanish.get_data(as_text=True)
    assert '<html lang="es">' in spanish.get_data(as_text=True)


def test_limits_count_per_account(make_app, factory):
    app = make_app(RATE_LIMITS={**make_app().config["RATE_LIMITS"], "exports": "1 per hour"})
    _iom_editor(factory, "one@iom.example")
    _iom_editor(factory, "two@iom.example")
    one, two = Browser(app), Browser(app)
    one.login("one@iom.example", PASSWORD)
    two.login("two@iom.example", PASSWORD)
    assert _export(one).status_code == 200 and _export(one).status_code == 429
    assert _export(two).status_code == 200


def test_reset_requests_are_limited_per_address_without_an_account(make_app):
    app = make_app(RATE_LIMITS={**make_app().config["RATE_LIMITS"], "reset_requests": "2 per hour"},
                   PASSWORD_RESET_ANSWER_SECONDS=0, PASSWORD_RESET_PER_ADDRESS=100)
    browser = Browser(app)
    answers = [browser.submit("/account/reset", {"email": f"n{i}@sreci.example"}).status_code for i in range(3)]
    assert answers == [200, 200, 429]
    assert browser.get("/account/reset").status_code == 200  # reading the form is not counted


@pytest.fixture
def redis_prefix():
    """A key prefix of its own on a Redis database of its own, emptied afterwards."""
    prefix = f"portal-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_limits_are_shared_by_two_workers_through_redis(make_app, factory, redis_prefix):
    """Two app instances stand for two gunicorn workers (or servers): the count lives in Redis."""
    settings = {"REDIS_URL": REDIS, "RATE_LIMIT_KEY_PREFIX": redis_prefix,
                "RATE_LIMITS": {**make_app().config["RATE_LIMITS"], "exports": "3 per hour"}}
    worker_a, worker_b = make_app(**settings), make_app(**settings)
    _iom_editor(factory)
    a, b = Browser(worker_a), Browser(worker_b)
    a.login("oim@iom.example", PASSWORD)
    b.login("oim@iom.example", PASSWORD)
    assert [_export(a).status_code, _export(b).status_code, _export(a).status_code] == [200, 200, 200]
    assert _export(b).status_code == 429
    assert any(redis_prefix in key.decode() for key in redis.Redis.from_url(REDIS).scan_iter("*"))


def test_without_redis_each_worker_counts_alone(make_app, factory):
    """The memory default is per process: why production sets REDIS_URL."""
    settings = {"RATE_LIMITS": {**make_app().config["RATE_LIMITS"], "exports": "1 per hour"}}
    worker_a, worker_b = make_app(**settings), make_app(**settings)
    _iom_editor(factory)
    a, b = Browser(worker_a), Browser(worker_b)
    a.login("oim@iom.example", PASSWORD)
    b.login("oim@iom.example", PASSWORD)
    assert _export(a).status_code == 200 and _export(b).status_code == 200


def test_with_limits_turned_off_the_limited_views_still_answer(make_app, factory):
    import gc

    app = make_app(RATELIMIT_ENABLED=False, RATE_LIMITS={**make_app().config["RATE_LIMITS"], "exports": "1 per hour"})
    _iom_editor(factory)
    gc.collect()  # what nothing holds is gone before the first request, as it would be in a long-lived worker
    browser = Browser(app)
    browser.login("oim@iom.example", PASSWORD)
    assert [_export(browser).status_code for _ in range(3)] == [200, 200, 200]
