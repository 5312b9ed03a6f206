"""The follow-up blueprint; its views live in dashboard_routes.py, board_routes.py and request_routes.py."""

from flask import Blueprint

bp = Blueprint("followup", __name__)
