"""Example instance settings: copy to instance/config.py and keep what you need.

Every setting can also be given as an environment variable prefixed PORTAL_ (PORTAL_SECRET_KEY,
PORTAL_DATABASE_URL, ...); values are parsed as JSON when they can be. Environment variables win over
this file, and this file wins over the defaults in portal/config.py. Never commit instance/config.py.
"""

from datetime import timedelta  # noqa: F401  (for the commented settings)

# --- Where it runs -------------------------------------------------------------------------------
# "production" (strict: secret required, HTTPS, __Host- cookies), "development" or "testing".
# ENVIRONMENT = "production"
# At least 32 random characters: python -c 'import secrets; print(secrets.token_urlsafe(48))'.
# Better given as PORTAL_SECRET_KEY than written here.
# SECRET_KEY = "..."
# SQLite inside this folder by default; for PostgreSQL (psycopg 3 is used):
# DATABASE_URL = "postgresql://portal@127.0.0.1/portal"
# The address people reach the portal at; links in e-mail are built on it.
# BASE_URL = "https://portal.example.org"
# Reverse proxies in front of gunicorn (nginx: 1); enables ProxyFix for client address and scheme.
# PROXY_COUNT = 0
# Redirect plain HTTP to HTTPS (on by default in production).
# FORCE_HTTPS = True

# --- Language and time ----------------------------------------------------------------------------
# BABEL_DEFAULT_LOCALE = "es"
# BABEL_DEFAULT_TIMEZONE = "America/Tegucigalpa"

# --- Sessions and sign-in -------------------------------------------------------------------------
# PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
# SESSION_IDLE_TIMEOUT = timedelta(minutes=60)
# Failed sign-ins counted per account and per client address within the window.
# LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
# LOGIN_THROTTLE_PER_ACCOUNT = 10
# LOGIN_THROTTLE_PER_ADDRESS = 20
# PASSWORD_MIN_LENGTH = 12
# PASSWORD_MAX_LENGTH = 256
# INVITATION_LIFETIME = timedelta(days=7)

# --- Mail ----------------------------------------------------------------------------------------
# Without MAIL_SERVER, each message is written to MAIL_OUTBOX (inside this folder) as an .eml file.
# MAIL_SERVER = "smtp.example.org"
# MAIL_PORT = 587
# MAIL_USERNAME = "portal"
# MAIL_PASSWORD = "..."   # better as PORTAL_MAIL_PASSWORD
# MAIL_USE_TLS = True
# MAIL_FROM = "portal@example.org"
# MAIL_OUTBOX = "outbox"
# The day weekly digests go out: 0 Monday ... 6 Sunday.
# REMINDER_WEEKDAY = 0

# --- Files ---------------------------------------------------------------------------------------
# Relative paths resolve inside this folder; every app server must share the upload folder.
# UPLOAD_FOLDER = "uploads"
# UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# BACKUP_FOLDER = "backups"
# Archives kept in BACKUP_FOLDER; `flask backup` deletes the oldest beyond this number.
# BACKUP_KEEP = 14

# --- Operations ----------------------------------------------------------------------------------
# How long a SQLite writer waits for another's lock before answering 503 (milliseconds).
# SQLITE_BUSY_TIMEOUT_MS = 10000
# Retry-After (seconds) of a 503 when the database cannot be written or reached.
# DATABASE_RETRY_AFTER = 30
# One JSON line per request on standard error.
# REQUEST_LOG = True
# Who may read /metrics: these client addresses, or "Authorization: Bearer <METRICS_TOKEN>".
# METRICS_ALLOWED_ADDRESSES = ("127.0.0.1", "::1")
# METRICS_TOKEN = None   # better as PORTAL_METRICS_TOKEN

# --- Page cache ----------------------------------------------------------------------------------
# Signed-out public pages kept in each worker's memory this many seconds (0 turns it off).
# PAGE_CACHE_SECONDS = 60
# PAGE_CACHE_ENTRIES = 500

