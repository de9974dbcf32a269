"""The time zones people choose from: the common ones first, then every canonical IANA zone
(Area/City, and UTC); aliases and oddities such as ``localtime``, ``posixrules`` or
``right/...`` are never offered nor accepted."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_login import current_user

AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
         "Indian", "Pacific")
COMMON = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Toronto", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Dubai", "Asia/Singapore",
    "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
)


@cache
def all_zones() -> tuple[str, ...]:
    zones = {zone for zone in available_timezones() if zone.split("/", 1)[0] in AREAS}
    return tuple(sorted(zones | {"UTC"}))


def offered() -> list[str]:
    """The common zones, then all others alphabetically."""
    known = set(all_zones())
    common = [zone for zone in COMMON if zone in known]
    return common + [zone for zone in all_zones() if zone not in set(common)]


def is_known(name: str) -> bool:
    return name in set(all_zones())


def resolved(typed: str) -> str | None:
    """The zone ``typed`` names: a zone's own name in any case, or the city of exactly one
    zone ("berlin", "New York" -> America/New_York); None when it names none or several."""
    wanted = "_".join(typed.split()).casefold()
    exact = [zone for zone in all_zones() if zone.casefold() == wanted]
    if exact:
        return exact[0]
    by_city = [zone for zone in all_zones() if zone.rsplit("/", 1)[-1].casefold() == wanted]
    return by_city[0] if len(by_city) == 1 else None


def zone_of(user) -> ZoneInfo:
    """``user``'s time zone (their profile setting), UTC when unset or unknown."""
    name = getattr(user, "time_zone", None) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime | None, pattern: str = "%a %d %b %Y, %H:%M %Z") -> str:
    """A UTC time as the signed-in reader's wall-clock time (a template filter)."""
    return value.astimezone(zone_of(current_user)).strftime(pattern) if value else ""
