"""A live session's times: wall-clock times in an IANA zone, to and from UTC."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kb import time_zones
from kb.errors import Invalid
from kb.sessions.models import LiveSession


def zone(name: str) -> ZoneInfo:
    if not time_zones.is_known(name):
        raise Invalid(f"Unknown time zone: {name!r}; use an IANA name such as Europe/Berlin.")
    return ZoneInfo(name)


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time in an IANA zone as UTC; ``Invalid`` for a time a DST change skips."""
    tz = zone(zone_name)
    aware = local.replace(tzinfo=tz)
    utc = aware.astimezone(ZoneInfo("UTC"))
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise Invalid(f"{local:%Y-%m-%d %H:%M} does not exist in {zone_name} (clocks change).")
    return utc


def local_fields(live_session: LiveSession) -> dict[str, datetime | None]:
    """The session's times as wall-clock times in its own zone (to fill the edit form)."""
    tz = zone(live_session.time_zone)

    def local(value: datetime | None) -> datetime | None:
        return value.astimezone(tz).replace(tzinfo=None) if value else None

    return {"local_start": local(live_session.starts_at),
            "registration_opens": local(live_session.registration_opens_at),
            "registration_closes": local(live_session.registration_closes_at)}
