"""Settings that depend on the environment, checked once at start-up."""

import os
import secrets

from flask import Flask

ENVIRONMENTS = ("production", "development", "testing")
#: Values that must never be accepted as a production secret.
WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development", "testing"}


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the portal refuses to start."""


def finish_config(app: Flask) -> None:
    """Derive the settings that depend on ENVIRONMENT and refuse unsafe production settings."""
    config = app.config
    env = config["ENVIRONMENT"]
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    if config.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config["SQLALCHEMY_DATABASE_URI"] = _with_psycopg(config["SQLALCHEMY_DATABASE_URI"])
    config["TESTING"] = config.get("TESTING") or env == "testing"
    production = env == "production"
    config.setdefault("FORCE_HTTPS", production)
    config["SESSION_COOKIE_SECURE"] = production
    config["SESSION_COOKIE_NAME"] = "__Host-session" if production else "portal_session"
    config["PREFERRED_URL_SCHEME"] = "https" if production else "http"
    config["IS_PRODUCTION"] = production
    if config.get("MFA_REQUIRED_ROLES") is None:
        config["MFA_REQUIRED_ROLES"] = ["site_admin", "org_admin", "iom_editor"] if production else []
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    for key in ("UPLOAD_FOLDER", "BACKUP_FOLDER", "IMPORT_FOLDER"):
        config[key] = os.path.join(app.instance_path, config[key])
    if production:
        _check_production(app)
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _local_secret(app)


def _with_psycopg(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _check_production(app: Flask) -> None:
    key = app.config.get("SECRET_KEY") or ""
    if len(key) < 32 or key.lower() in WEAK_SECRETS:
        raise ConfigurationError(
            "PORTAL_SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    if app.debug or app.config.get("DEBUG"):
        raise ConfigurationError("Debug mode must be off in production.")


def _local_secret(app: Flask) -> str:
    """Return a per-installation secret for development, created once in the instance folder."""
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    with open(path) as handle:
        return handle.read().strip()
