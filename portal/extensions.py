"""Flask extensions, created unbound and initialised in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from portal.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Rate limits, counted in RATELIMIT_STORAGE_URI (Redis when PORTAL_REDIS_URL is set, so every worker and host
#: shares the counts; memory otherwise). No default limit: each module sets its own on its routes.
limiter = Limiter(key_func=get_remote_address)
