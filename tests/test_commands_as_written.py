"""The commands README writes work as written in a checkout, and a refused setting answers one clear line."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")


def run_flask(tmp_path, *args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    environment.update(PORTAL_INSTANCE_PATH=str(tmp_path / "instance"), **env)
    return subprocess.run([FLASK, "--app", "portal", *args], check=False, cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_demo_works_as_written_in_a_fresh_checkout(tmp_path):
    """`flask --app portal demo`, PORTAL_ENVIRONMENT unset, no database yet: .flaskenv makes it development."""
    result = run_flask(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Demo loaded" in result.stdout and "Traceback" not in result.stderr
    again = run_flask(tmp_path, "demo")
    assert again.returncode == 1 and again.stderr.strip().splitlines()[-1] == "Error: The demo data is already loaded."
    assert "Traceback" not in again.stderr


def test_a_configuration_error_is_one_clear_line(tmp_path):
    result = run_flask(tmp_path, "demo", PORTAL_ENVIRONMENT="production", PORTAL_SECRET_KEY="changeme")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: configuration refused: PORTAL_SECRET_KEY must be set")


def test_an_explicit_environment_wins_over_flaskenv(tmp_path):
    result = run_flask(tmp_path, "demo", PORTAL_ENVIRONMENT="production",
                       PORTAL_SECRET_KEY="a-real-production-secret-of-forty-characters")
    assert result.returncode == 1 and "refused in production" in result.stderr
