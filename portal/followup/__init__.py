"""Follow-up: dashboards, the IOM follow-up board, update requests and e-mail reminders."""
