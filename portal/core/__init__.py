"""Shared foundations: database base, permissions core, audit, errors, security headers."""
