"""Security headers on every response, error pages included, and safe production settings."""

import pytest
from flask import abort

from portal import create_app
from portal.core.settings import ConfigurationError
from tests.conftest import SECRET
from tests.factories import PASSWORD
from tests.helpers import Browser

EXPECTED_CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def csp(response) -> dict:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def add_failing_routes(app):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals /etc/passwd SELECT * FROM users")

    @app.get("/_unavailable")
    def unavailable():
        abort(503)

    @app.get("/_throttled")
    def throttled():
        abort(429)

    @app.get("/_conflict")
    def conflict():
        abort(409)

    return app


@pytest.fixture
def failing_app(make_app):
    return add_failing_routes(make_app(PROPAGATE_EXCEPTIONS=False))


@pytest.mark.parametrize("path, method, status", [
    ("/", "GET", 200), ("/orgs/", "GET", 200), ("/account/login", "GET", 200), ("/no-such-page", "GET", 404),
    ("/account/logout", "GET", 405), ("/language", "POST", 400), ("/_boom", "GET", 500), ("/_unavailable", "GET", 503),
    ("/_throttled", "GET", 429), ("/static/css/portal.css", "GET", 200), ("/", "TRACE", 405),
])
def test_headers_on_every_response(failing_app, path, method, status):
    response = failing_app.test_client().open(path, method=method)
    response.close()
    assert response.status_code == status
    assert csp(response) == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("status, path", [(404, "/no-such-page"), (405, "/account/logout"), (500, "/_boom"), (409, "/_conflict"),
                                          (503, "/_unavailable"), (429, "/_throttled"), (400, "/language")])
@pytest.mark.parametrize("language", ["es", "en"])
def test_error_pages_are_translated_and_reveal_nothing(failing_app, status, path, language):
    method = "POST" if path == "/language" else "GET"
    response = failing_app.test_client().open(path, method=method, headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    for leak in ("Traceback", "werkzeug", "sqlalchemy", "/etc/passwd", "SELECT", SECRET):
        assert leak not in html


def test_error_page_for_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/account/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "Content-Security-Policy" in response.headers


def test_server_error_is_logged_with_a_reference_shown_to_the_user(failing_app, caplog):
    caplog.set_level("ERROR", logger="portal.errors")
    html = failing_app.test_client().get("/_boom").get_data(as_text=True)
    reference = caplog.records[-1].getMessage().split("ref=")[1].split()[0]
    assert reference in html
    assert "RuntimeError" in caplog.text


def test_hsts_in_production_over_https(make_app, factory):
    app = make_app(ENVIRONMENT="production")
    response = Browser(app, https=True).get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_redirects_plain_http_to_https(make_app):
    response = make_app(ENVIRONMENT="production").test_client().get("/orgs/", base_url="http://portal.test")
    assert response.status_code == 302 and response.headers["Location"].startswith("https://")


def test_no_hsts_in_development(app):
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_anonymous_public_pages_may_be_cached_but_vary_on_cookie(app):
    response = app.test_client().get("/orgs/")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Cookie" in response.headers["Vary"]


def test_signed_in_responses_are_no_store(app, factory):
    user = factory.user()
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    assert "no-store" in browser.get("/no-such-page").headers["Cache-Control"]


@pytest.mark.parametrize("secret", [None, "", "short", "dev", "x" * 31])
def test_production_refuses_a_weak_secret_key(database_url, secret):
    with pytest.raises(ConfigurationError):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": database_url})


def test_production_refuses_debug(database_url):
    with pytest.raises(ConfigurationError):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": SECRET, "DEBUG": True,
                    "SQLALCHEMY_DATABASE_URI": database_url})


def test_production_starts_with_a_strong_secret(database_url):
    app = create_app({"ENVIRONMENT": "production", "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database_url})
    assert not app.debug and app.config["SESSION_COOKIE_SECURE"]


def test_environment_variables_configure_the_portal(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENVIRONMENT", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", SECRET)
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_LOGIN_THROTTLE_PER_ACCOUNT", "7")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    assert app.config["LOGIN_THROTTLE_PER_ACCOUNT"] == 7
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_instance_config_file_is_read(monkeypatch, database_url, tmp_path):
    (tmp_path / "config.py").write_text(f"SECRET_KEY = {SECRET!r}\nDATABASE_URL = {database_url!r}\nPROXY_COUNT = 1\n")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_ENVIRONMENT", raising=False)
    app = create_app()
    assert app.config["PROXY_COUNT"] == 1 and app.config["IS_PRODUCTION"]


def test_proxy_fix_uses_the_last_hop_only(make_app):
    app = make_app(PROXY_COUNT=1)

    @app.get("/_ip")
    def show_ip():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/_ip", headers={"X-Forwarded-For": "6.6.6.6, 1.2.3.4"})
    assert response.get_data(as_text=True) == "1.2.3.4"
