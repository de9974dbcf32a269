"""Idempotency keys: the answers of creating API requests, remembered per user and key so a
retried request gets the first answer instead of creating the thing twice."""
