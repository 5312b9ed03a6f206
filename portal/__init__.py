"""The co-responsibility portal: application factory."""

import os
from pathlib import Path

from flask import Flask

from portal.core.urls import CountryCodeConverter, IdConverter, SlugConverter
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the portal application."""
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _load_config_or_explain(app, test_config)
    app.url_map.converters.update(id=IdConverter, slug=SlugConverter, country=CountryCodeConverter)
    _register_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_commands(app)
    from portal.core.cache import configure_page_cache
    from portal.core.limits import configure_limits

    configure_limits(app)  # after the blueprints: it wraps their costly views
    configure_page_cache(app)  # last, so that its lookup runs after the session and security hooks
    return app


def _load_config_or_explain(app: Flask, test_config: dict | None) -> None:
    """Load the configuration; under the ``flask`` command, a refused setting ends it with one clear line."""
    import click

    from portal.core.settings import ConfigurationError

    try:
        _load_config(app, test_config)
    except ConfigurationError as error:
        if click.get_current_context(silent=True) is None:
            raise
        raise click.ClickException(f"configuration refused: {error}") from None


def _load_config(app: Flask, test_config: dict | None) -> None:
    """Layer the defaults, instance/config.py, PORTAL_* variables and the test overrides."""
    from portal.core.settings import finish_config

    app.config.from_object("portal.config")
    os.makedirs(app.instance_path, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PORTAL")
    else:
        app.config.from_mapping(test_config)
    finish_config(app)


def _register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    import portal.models  # noqa: F401  (registers every table before the engine is used)
    from portal.accounts.sessions import configure_login
    from portal.core.i18n import configure_i18n
    from portal.core.limits import skip_unlimited_pages
    from portal.core.metrics import configure_metrics
    from portal.core.security import configure_security
    from portal.core.security_log import configure_security_log
    from portal.core.sqlite import configure_sqlite_engine

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            configure_sqlite_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    skip_unlimited_pages(limiter)
    configure_login(app, login_manager)
    configure_i18n(app, babel)
    configure_security(app)
    configure_security_log(app)
    configure_metrics(app)


def _register_blueprints(app: Flask) -> None:
    """Register every module's blueprint; this is the only place blueprints are registered."""
    import portal.accounts.mfa_routes  # noqa: F401  (adds the second-factor views to the accounts blueprint)
    import portal.accounts.reset_routes  # noqa: F401  (adds the forgotten-password views to the accounts blueprint)
    import portal.commitments.import_routes  # noqa: F401  (adds the import views to the commitments blueprint)
    import portal.commitments.proposal_routes  # noqa: F401  (adds proposed commitments to the commitments blueprint)
    import portal.core.health  # noqa: F401  (adds /healthz and /readyz to the core blueprint)
    import portal.commitments.progress_routes  # noqa: F401  (adds its views to the commitments blueprint)
    import portal.followup.board_routes  # noqa: F401  (adds the IOM follow-up board to the follow-up blueprint)
    import portal.followup.dashboard_routes  # noqa: F401  (adds the dashboard to the follow-up blueprint)
    import portal.followup.request_routes  # noqa: F401  (adds update requests to the follow-up blueprint)
    import portal.joint_actions.date_routes  # noqa: F401  (adds its views to the joint actions blueprint)
    import portal.joint_actions.minutes_routes  # noqa: F401  (adds its views to the joint actions blueprint)
    import portal.joint_actions.iati  # noqa: F401  (adds the IATI files to the joint actions blueprint)
    import portal.joint_actions.party_routes  # noqa: F401  (adds its views to the joint actions blueprint)
    import portal.joint_actions.plan_routes  # noqa: F401  (adds its views to the joint actions blueprint)
    import portal.minutes.item_routes  # noqa: F401  (adds its views to the minutes blueprint)
    import portal.minutes.revision_routes  # noqa: F401  (adds its views to the minutes blueprint)
    import portal.public.data_routes  # noqa: F401  (adds the open data page to the public blueprint)
    import portal.public.feeds  # noqa: F401  (adds the Atom feeds and the symposia calendar to the public blueprint)
    import portal.public.corridor_routes  # noqa: F401  (adds the corridor page to the public blueprint)
    import portal.public.report_routes  # noqa: F401  (adds the follow-up report to the public blueprint)
    import portal.public.symposium_routes  # noqa: F401  (adds the symposium pages to the public blueprint)
    import portal.api.openapi  # noqa: F401  (adds the OpenAPI document and reference page to the API blueprint)
    from portal.accounts.routes import bp as accounts_bp
    from portal.api.routes import bp as api_bp
    from portal.api.tokens import tokens_bp
    from portal.commitments.exports import bp as commitment_exports_bp
    from portal.commitments.routes import bp as commitments_bp
    from portal.core.routes import bp as core_bp
    from portal.followup.blueprint import bp as followup_bp
    from portal.frameworks.routes import bp as frameworks_admin_bp
    from portal.joint_actions.exports import bp as action_exports_bp
    from portal.joint_actions.routes import bp as joint_actions_bp
    from portal.minutes.routes import bp as minutes_bp
    from portal.organisations.admin_routes import bp as organisations_admin_bp
    from portal.organisations.audit_routes import bp as audit_bp
    from portal.organisations.people_routes import bp as people_bp
    from portal.organisations.routes import bp as organisations_bp
    from portal.public.country_routes import bp as countries_bp
    from portal.public.framework_routes import bp as frameworks_bp
    from portal.public.routes import bp as public_bp
    import portal.symposia.file_routes  # noqa: F401  (adds the symposium files to the symposia blueprint)
    from portal.symposia.routes import bp as symposia_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp, url_prefix="/account")
    app.register_blueprint(organisations_bp, url_prefix="/orgs")
    app.register_blueprint(organisations_admin_bp, url_prefix="/admin/organisations")
    app.register_blueprint(people_bp, url_prefix="/admin/people")
    app.register_blueprint(audit_bp, url_prefix="/admin/audit")
    app.register_blueprint(countries_bp, url_prefix="/countries")
    app.register_blueprint(commitments_bp, url_prefix="/commitments")
    app.register_blueprint(commitment_exports_bp)
    app.register_blueprint(minutes_bp, url_prefix="/minutes")
    app.register_blueprint(joint_actions_bp, url_prefix="/actions")
    app.register_blueprint(action_exports_bp)
    app.register_blueprint(symposia_bp, url_prefix="/symposia")
    app.register_blueprint(followup_bp)
    app.register_blueprint(frameworks_bp, url_prefix="/frameworks")
    app.register_blueprint(frameworks_admin_bp, url_prefix="/admin/frameworks")
    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(tokens_bp, url_prefix="/account/tokens")


def _register_hooks(app: Flask) -> None:
    """Install error pages, template helpers and the second-factor enrolment check."""
    from portal.accounts.mfa_routes import require_enrolment
    from portal.core.charts import register_chart_helpers
    from portal.core.errors import register_error_handlers
    from portal.core.templating import register_template_helpers
    from portal.countries.names import register_country_helpers
    from portal.progress.models import STATUS_LABELS

    register_error_handlers(app)
    app.before_request(require_enrolment)
    register_template_helpers(app)
    register_country_helpers(app)
    register_chart_helpers(app, STATUS_LABELS)


def _register_commands(app: Flask) -> None:
    """Add the portal's CLI commands (flask --app portal ...)."""
    from portal.accounts.cli import create_admin_command
    from portal.commitments.importing.cli import import_commitments_command
    from portal.core.cli import backup_command, restore_command
    from portal.core.uploads import reap_uploads_command
    from portal.demo.cli import demo_command
    from portal.followup.reminders import send_reminders_command
    from portal.public.cli import recompute_tallies_command

    app.cli.add_command(create_admin_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(import_commitments_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(reap_uploads_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(recompute_tallies_command)
