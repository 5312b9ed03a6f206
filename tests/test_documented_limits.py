"""ASVS V6.1.1 / V7.1.1: the throttles, limits and timeouts README documents are the ones configured."""

import re
from pathlib import Path

from portal import config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def row(setting: str) -> list[str]:
    """The cells of README's configuration row that starts with ``setting``."""
    line = next(line for line in README.splitlines() if line.startswith(f"| `{setting}`"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_sign_in_throttle_defaults_are_documented():
    documented = [int(n) for n in re.findall(r"`(\d+)`", row("PORTAL_LOGIN_THROTTLE_PER_ADDRESS")[1])]
    assert documented == [config.LOGIN_THROTTLE_PER_ADDRESS, config.LOGIN_THROTTLE_PER_PAIR,
                          config.LOGIN_THROTTLE_PER_ACCOUNT]
    assert config.LOGIN_THROTTLE_WINDOW.total_seconds() == 15 * 60 and "per 15 minutes" in README
    assert row("PORTAL_LOGIN_KNOWN_CLIENT_DAYS")[1] == f"`{config.LOGIN_KNOWN_CLIENT_DAYS}`"


def test_reset_limits_and_lifetime_are_documented():
    per_account, per_address = (int(n) for n in re.findall(r"`(\d+)`", row("PORTAL_PASSWORD_RESET_PER_ACCOUNT")[1]))
    assert (per_account, per_address) == (config.PASSWORD_RESET_PER_ACCOUNT, config.PASSWORD_RESET_PER_ADDRESS)
    assert row("PORTAL_PASSWORD_RESET_LIFETIME")[1] == f"{int(config.PASSWORD_RESET_LIFETIME.total_seconds() // 60)} min"


def test_costly_action_limits_are_documented():
    documented = dict(re.findall(r"(\w+) `([^`]+)`", row("PORTAL_RATE_LIMITS")[1]))
    assert documented == config.RATE_LIMITS


def test_session_timeouts_are_documented():
    idle = int(config.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    lifetime = int(config.PERMANENT_SESSION_LIFETIME.total_seconds() // 3600)
    assert row("PORTAL_SESSION_IDLE_TIMEOUT")[1] == f"{idle} min, {lifetime} h"
