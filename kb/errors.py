"""Domain errors raised by services; views and the API map them to HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the refusal is about, for the page to show it there

    def json_fields(self) -> dict:
        """Fields the API's JSON error carries beside ``error``."""
        return {}


class BadRequest(DomainError):
    """A request kb cannot read as sent (a malformed header)."""

    status = 400


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class Gone(DomainError):
    """What was here was taken back on purpose (a withdrawn patch's files)."""

    status = 410


class RuleBroken(Invalid):
    """A request that breaks a named rule of the plan (the API answers 422 with ``rule``)."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule

    def json_fields(self) -> dict:
        return {"rule": self.rule}


class Throttled(DomainError):
    status = 429

    def __init__(self, message: str, retry_after_seconds: int):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class NotAuthenticated(DomainError):
    status = 401


class TooLarge(DomainError):
    status = 413
