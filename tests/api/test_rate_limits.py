"""Rate limits of the API: per client address without a token, per token with one, 429 with Retry-After,
counted in Redis so that every worker and host shares the count."""

import uuid

import pytest

from tests.api.conftest import bearer, make_token

REDIS = "redis://127.0.0.1:6379/7"
LIMITS = {"RATELIMIT_API_PER_ADDRESS": "3 per minute", "RATELIMIT_API_PER_TOKEN": "2 per minute"}


def from_address(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def test_an_address_is_slowed_down_with_429_and_retry_after_and_others_are_not(make_app):
    app = make_app(**LIMITS)
    client = app.test_client()
    answers = [client.get("/api/v1/countries", environ_base=from_address("192.0.2.1")) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.mimetype == "application/problem+json" and refused.json["status"] == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/countries", environ_base=from_address("192.0.2.2")).status_code == 200
    # The pages of the portal are not counted.
    assert client.get("/countries/", environ_base=from_address("192.0.2.1")).status_code == 200


def test_each_token_has_its_own_count(make_app, factory):
    app = make_app(**LIMITS)
    owner = factory.organisation()
    first, second = make_token(app, factory.user(owner)), make_token(app, factory.user(owner))
    client = app.test_client()
    codes = [client.get("/api/v1/countries", headers=bearer(first)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/countries", headers=bearer(second)).status_code == 200
    assert client.get("/api/v1/countries").status_code == 200  # the address's anonymous count is apart


def test_a_flood_of_made_up_tokens_is_counted_too(make_app):
    app = make_app(**LIMITS)
    client = app.test_client()
    codes = [client.get("/api/v1/countries", headers=bearer("made-up")).status_code for _ in range(3)]
    assert codes == [401, 401, 429]


@pytest.fixture
def redis_limits():
    """Limits counted in the real Redis, under a key prefix of this test only."""
    prefix = f"test-{uuid.uuid4().hex}"
    yield {**LIMITS, "RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": prefix}
    import redis

    connection = redis.Redis.from_url(REDIS)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_two_app_instances_share_the_count_in_redis(make_app, redis_limits):
    # An address of this run only (documentation range): Redis outlives the run, and other suites share it.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    workers = [make_app(**redis_limits).test_client(), make_app(**redis_limits).test_client()]
    try:
        codes = [workers[n % 2].get("/api/v1/countries", environ_base=from_address(address)).status_code
                 for n in range(4)]
    finally:
        import redis

        connection = redis.Redis.from_url(REDIS)
        for key in connection.scan_iter(f"*{address}*"):
            connection.delete(key)
    assert codes == [200, 200, 200, 429]
