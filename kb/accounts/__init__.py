"""Organisations, users, sign-in, API tokens and the audit log."""
