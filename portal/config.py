"""Default settings. ``instance/config.py`` and ``PORTAL_*`` environment variables override them."""

from datetime import timedelta

#: ``production`` (the default, strict), ``development`` (make run) or ``testing``.
ENVIRONMENT = "production"
SECRET_KEY = None
#: Relative SQLite paths resolve inside the instance folder.
SQLALCHEMY_DATABASE_URI = "sqlite:///portal.sqlite3"
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
SQLALCHEMY_RECORD_QUERIES = False
#: How long a SQLite writer waits for another one's lock before the request answers 503 (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10000
#: One JSON line per request (request id, method, route, status, duration, user id) on standard error.
REQUEST_LOG = True
#: Client addresses that may read /metrics (as the portal sees them, after PROXY_COUNT); others need the token.
METRICS_ALLOWED_ADDRESSES = ("127.0.0.1", "::1")
#: A bearer token that opens /metrics from any address (PORTAL_METRICS_TOKEN); None: addresses only.
METRICS_TOKEN = None
#: Seconds a client is asked to wait (Retry-After) when the database cannot be written or reached.
DATABASE_RETRY_AFTER = 30

BABEL_DEFAULT_LOCALE = "es"
BABEL_DEFAULT_TIMEZONE = "America/Tegucigalpa"
LANGUAGES = ("es", "en")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
#: An idle session ends after this long, whatever its age.
SESSION_IDLE_TIMEOUT = timedelta(minutes=60)

WTF_CSRF_TIME_LIMIT = 3600 * 4
MAX_CONTENT_LENGTH = 21 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 500 * 1024

#: Failed sign-ins allowed in LOGIN_THROTTLE_WINDOW (see portal/accounts/throttle.py): per client address,
#: per account and address, and per account for clients the account does not know.
LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
LOGIN_THROTTLE_PER_ADDRESS = 20
LOGIN_THROTTLE_PER_PAIR = 5
LOGIN_THROTTLE_PER_ACCOUNT = 10
#: A browser or address an account signed in from within this many days is known to it.
LOGIN_KNOWN_CLIENT_DAYS = 90
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256
INVITATION_LIFETIME = timedelta(days=7)
#: Who must enrol a second factor before using the portal: any of site_admin, org_admin, iom_editor, editor,
#: viewer. None: site_admin, org_admin and iom_editor in production; nobody in development and testing.
MFA_REQUIRED_ROLES = None
#: How long the second sign-in step (the code) may take after the password was accepted.
MFA_STEP_LIFETIME = timedelta(minutes=5)
#: A password reset link works once, for this long.
PASSWORD_RESET_LIFETIME = timedelta(minutes=30)
#: Reset requests allowed per hour for one typed e-mail and from one client address; then 429.
PASSWORD_RESET_PER_ACCOUNT = 3
PASSWORD_RESET_PER_ADDRESS = 10
#: The answer to a reset request never comes sooner than this, known account or not (no timing leak).
PASSWORD_RESET_ANSWER_SECONDS = 0.25

#: Number of reverse proxies in front of the app (sets ProxyFix); 0 when gunicorn faces clients.
PROXY_COUNT = 0

MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_USE_TLS = False
MAIL_FROM = "portal@localhost"
#: Seconds to wait for the SMTP server before giving up on a message.
MAIL_TIMEOUT = 10
#: Without MAIL_SERVER, mail is written as .eml files to this folder (relative: inside the instance folder).
MAIL_OUTBOX = "outbox"

#: The portal's address as its users reach it; links in e-mail are built on it (PORTAL_BASE_URL).
BASE_URL = "http://127.0.0.1:5000"
#: The day weekly digests go out (0 Monday ... 6 Sunday); `send-reminders --force-weekly` sends them any day.
REMINDER_WEEKDAY = 0

#: Redis (PORTAL_REDIS_URL, e.g. redis://127.0.0.1:6379/0) for the rate-limit counters (costly actions and the
#: API), shared by every worker and server; None keeps the counts in each worker's memory (fine for the
#: single-process development server).
REDIS_URL = None
RATE_LIMIT_KEY_PREFIX = "portal"
#: Limits on costly actions, per signed-in account (else per client address); see portal/core/limits.py.
RATE_LIMITS = {
    "invitations": "30 per hour",
    "reset_requests": "10 per hour",
    "update_requests": "30 per hour",
    "uploads": "60 per hour",
    "exports": "30 per hour",
}

#: Folder for uploaded files; relative paths resolve inside the instance folder.
UPLOAD_FOLDER = "uploads"
#: Largest evidence file accepted; MAX_CONTENT_LENGTH leaves room for the rest of the form.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
BACKUP_FOLDER = "backups"
#: Uploaded tables waiting for their import to be confirmed (an hour at most); shared by every host, like uploads.
IMPORT_FOLDER = "imports"
#: Largest table of commitments accepted for import.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
#: Backup archives kept in BACKUP_FOLDER; `flask backup` deletes the oldest beyond this number.
BACKUP_KEEP = 14

#: Signed-out public pages are kept this long at most in each worker (see portal/core/cache.py); 0 turns it
#: off. None: 60 s, except under ENVIRONMENT "testing" where tests that exercise the cache turn it on.
PAGE_CACHE_SECONDS = None
#: Pages kept per worker (at most some 50 KB each).
PAGE_CACHE_ENTRIES = 500

#: Flask-Limiter settings of the API (see portal/extensions.py). RATELIMIT_STORAGE_URI defaults to REDIS_URL, else memory.
RATELIMIT_STORAGE_URI = None
RATELIMIT_KEY_PREFIX = "portal"
RATELIMIT_HEADERS_ENABLED = True
#: API requests without a token, per client address; and per personal access token.
RATELIMIT_API_PER_ADDRESS = "60 per minute"
RATELIMIT_API_PER_TOKEN = "300 per minute"

#: The organisation that publishes the portal's IATI files (reporting-org) and prefixes their identifiers:
#: by default IOM (XM-DAC-47066, type 40 multilateral).
IATI_REPORTING_ORG_REF = "XM-DAC-47066"
IATI_REPORTING_ORG_TYPE = "40"
IATI_REPORTING_ORG_NAME = "International Organization for Migration"

#: The licence of the open data (the /data page, its JSON-LD and the API reference).
DATA_LICENCE_NAME = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
