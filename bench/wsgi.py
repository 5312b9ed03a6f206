"""The portal and a trivial Flask "hello" app in one WSGI application, for bench/throughput.py.

    gunicorn --workers 2 bench.wsgi:application

The portal is configured from the environment as in deployment (PORTAL_* variables); the hello app
answers ``/bench-hello/`` with a few bytes and no database, so that its throughput is the ceiling of
this gunicorn on this machine, measured in the same run as the portal's pages.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from werkzeug.middleware.dispatcher import DispatcherMiddleware  # noqa: E402

from portal import create_app  # noqa: E402

hello = Flask("hello")


@hello.get("/")
def say_hello():
    return "Hello, world!"


portal = create_app()
application = DispatcherMiddleware(portal, {"/bench-hello": hello})
