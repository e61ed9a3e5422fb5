"""An engagement as an iCalendar file (RFC 5545): what a calendar client should show now."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from zoneinfo import ZoneInfo

from coachflow._engagement import Engagement
from coachflow._outputs.ics_entries import entries, quote, sequences
from coachflow._outputs.vtimezone import vtimezone
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validation import describe, require_zone

__all__ = ["to_ics"]

PRODID = "-//coachflow//coaching engagement//EN"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    """Text a calendar file may hold: line breaks as ``\\n``, no other control characters
    (icalendar escapes the rest: backslash, comma, semicolon, line breaks)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _zone(tz: object, default: ZoneInfo) -> ZoneInfo:
    if tz is None:
        return default
    if isinstance(tz, ZoneInfo):
        return tz
    if isinstance(tz, str):
        require_zone("tz", tz)
        return ZoneInfo(tz)
    raise InvalidType(f"'tz' must be a ZoneInfo or an IANA zone name (got {describe(tz)})")


def _local(instant: dt.datetime, zone: ZoneInfo, in_utc: bool) -> dt.datetime:
    """*instant* as a calendar writes it: local time in *zone*, unless that wall time
    occurs twice (the night the clocks go back) or the calendar is in UTC: then in UTC.
    RFC 5545 reads an ambiguous local time as the first pass, but readers differ
    (ical.js takes the second), so such a time is never left to them."""
    if in_utc:
        return instant
    local = instant.astimezone(zone)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return instant
    return local


def to_ics(
    engagement: Engagement,
    *,
    tz: ZoneInfo | str | None = None,
    time_of_day: dt.time | None = None,
    at: dt.time | None = None,
) -> bytes:
    """The engagement as an iCalendar file: what a calendar client should show now.

    - Sessions held, at their real time and length; open bookings at their booked
      time and length; then the planned sessions not yet held or booked, on their
      planned day (`Engagement.plan`) at the rhythm's time of day, else at
      *time_of_day* (default 09:00) local time in the engagement's zone, the middle
      of the programme's normal minutes long, ``STATUS:TENTATIVE``. Session *n* is
      the *n*-th of these by time.
    - Cancelled bookings and no-shows at their booked time, ``STATUS:CANCELLED``
      (UID ``…-booking-<id>``).
    - The midpoint review, the closing and the three-party follow-up on their
      planned day until they happen, then at the time they did.
    - After `Engagement.terminate`, everything that had not happened is
      ``STATUS:CANCELLED`` (and planned sessions once the series is over).

    UIDs are stable across exports (session *n* keeps its UID from planned to
    booked to held), and ``SEQUENCE`` counts how often an entry moved (a
    rescheduled booking's entry moves), so importing a later
    export updates the same entries. Times are written in *tz* (a zone or its
    IANA name; default: the engagement's ``time_zone``), with a VTIMEZONE whose
    rules hold for every year the calendar spans; UTC is written as UTC.
    ``DTSTAMP`` is the time of the last event, so the file depends only on the
    engagement. Raises `ValueError` before the agreement.

    *at* is the former name of *time_of_day* (deprecated: everywhere else ``at`` is an
    instant); it still works, with a `DeprecationWarning`.
    """
    from icalendar import Calendar, Event, vText

    if at is not None:
        if time_of_day is not None:
            raise InvalidValue("give 'time_of_day' only ('at' is its former name)")
        warnings.warn(
            "to_ics(at=) is deprecated: pass time_of_day= (everywhere else 'at' is an instant)",
            DeprecationWarning,
            stacklevel=2,
        )
        time_of_day = at
    at = dt.time(9, 0) if time_of_day is None else time_of_day

    agreement, home = engagement.agreement, engagement.time_zone
    if agreement is None or home is None:
        raise InvalidValue(f"engagement {engagement.id!r} has no agreement yet, so no calendar")
    if not isinstance(at, dt.time) or at.tzinfo is not None:
        raise InvalidType(f"'time_of_day' must be a naive time of day (got {describe(at)})")
    zone = _zone(tz, home)
    found = entries(engagement, at)
    moves = sequences(engagement, at)
    stamp = engagement.events[-1].at.astimezone(dt.UTC)
    in_utc = zone.key == "UTC"
    uid = quote(engagement.id)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _clean(f"Coaching: {engagement.client.name} ({engagement.id})")
    calendar.add("x-wr-calname", vText(name))
    years: list[int] = []
    for key, entry in found.items():
        begins = entry.start.astimezone(dt.UTC)
        years.append(begins.astimezone(zone).year)
        event = Event()
        event.add("uid", f"{uid}-{key}@coachflow")
        event.add("dtstamp", stamp)
        event.add("sequence", moves.get(key, 0))
        event.add("dtstart", _local(begins, zone, in_utc))
        event.add("dtend", _local(begins + dt.timedelta(minutes=entry.minutes), zone, in_utc))
        event.add("summary", entry.summary)
        event.add("description", _clean(entry.description))
        event.add("status", entry.status)
        event.add("categories", ["coaching"])
        calendar.add_component(event)
    if not in_utc:
        calendar.subcomponents.insert(0, vtimezone(zone, min(years), max(years)))
    return bytes(calendar.to_ical())
