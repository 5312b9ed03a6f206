"""Accounts: sign-in, sessions, passwords, invitations and throttling."""
