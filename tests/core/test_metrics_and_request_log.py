"""One JSON line per request, and Prometheus metrics at /metrics for allowed addresses or the token."""

import io
import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from portal.core.security_log import json_handler
from tests.factories import PASSWORD
from tests.helpers import Browser


def request_lines(action) -> list[dict]:
    stream = io.StringIO()
    handler = json_handler(stream)
    handler.portal_security = False
    logger = logging.getLogger("portal.request")
    logger.addHandler(handler)
    try:
        action()
    finally:
        logger.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def sample(app, name: str, **labels) -> float:
    body = app.test_client().get("/metrics").get_data(as_text=True)
    total = 0.0
    for family in text_string_to_metric_families(body):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                total += found.value
    return total


def test_each_request_is_one_json_line_with_its_id_route_status_duration_and_user(app, factory):
    user = factory.user()
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    [line] = request_lines(lambda: browser.get("/commitments/", headers={"X-Request-ID": "lb-7f3a"}))
    assert line["request_id"] == "lb-7f3a" and line["method"] == "GET" and line["user_id"] == user.id
    assert line["status"] == 200 and line["duration_ms"] > 0 and line["route"] == "/commitments/"
    assert line["logger"] == "portal.request"


def test_an_unsafe_request_id_is_replaced_and_the_id_is_sent_back(app):
    response = None

    def call():
        nonlocal response
        response = app.test_client().get("/healthz", headers={"X-Request-ID": "bad id <script>"})

    [line] = request_lines(call)
    assert line["request_id"] == response.headers["X-Request-ID"] and "<" not in line["request_id"]
    assert len(line["request_id"]) == 32


def test_a_reset_link_is_logged_as_its_route_not_its_token(app):
    [line] = request_lines(lambda: app.test_client().get("/account/reset/secret-token-value"))
    assert "secret-token-value" not in json.dumps(line)


def test_metrics_count_requests_by_route_and_status_with_latency(app):
    client = app.test_client()
    before = sample(app, "portal_requests_total", route="/healthz", status="200")
    for _ in range(3):
        client.get("/healthz")
    assert sample(app, "portal_requests_total", route="/healthz", status="200") == before + 3
    assert sample(app, "portal_request_duration_seconds_count", route="/healthz", status="200") >= 3


def test_metrics_are_hidden_from_other_addresses_unless_the_token_is_sent(make_app):
    app = make_app(METRICS_TOKEN="scrape-token-0123456789")
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    client = app.test_client()
    assert client.get("/metrics", environ_base=outside).status_code == 404
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 404
    allowed = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert allowed.status_code == 200 and "portal_requests_total" in allowed.get_data(as_text=True)


def test_database_errors_are_counted(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    before = sample(app, "portal_database_errors_total", kind="db.unavailable")
    assert app.test_client().get("/").status_code == 503
    assert sample(app, "portal_database_errors_total", kind="db.unavailable") == before + 1


def test_page_cache_hits_are_counted(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60)
    before = sample(app, "portal_page_cache_lookups_total", result="hit")
    client = app.test_client()
    client.get("/")
    client.get("/")
    assert sample(app, "portal_page_cache_lookups_total", result="hit") >= before + 1


def test_mails_sent_and_failed_are_counted(make_app):
    from portal.core.mail import send_mail

    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    before = sample(app, "portal_mails_total", outcome="failed")
    with app.app_context():
        try:
            send_mail("someone@example.org", "Hello", "Body")
        except OSError:
            pass
    assert sample(app, "portal_mails_total", outcome="failed") == before + 1
