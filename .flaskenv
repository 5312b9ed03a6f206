# Read by the `flask` command (python-dotenv) when it runs inside a checkout: commands written in README,
# such as `flask --app portal demo`, then run as development. Variables already set win over this file,
# and gunicorn never reads it; production sets PORTAL_ENVIRONMENT=production (see README, Deployment).
PORTAL_ENVIRONMENT=development
