"""An engagement as an iCalendar file (RFC 5545): what a calendar client should show now."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
import warnings
from zoneinfo import ZoneInfo

import attrs

from coachflow._engagement import Engagement
from coachflow._engine.contract import Contract
from coachflow._engine.fold import unfold
from coachflow._outputs.vtimezone import vtimezone
from coachflow._rules.plan import plan, planned_sessions
from coachflow._values.enums import Phase
from coachflow._values.events import (
    Agreed,
    ClosingBegun,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    Terminated,
)
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.rhythm import rhythm
from coachflow._values.sessions import Booking, Session
from coachflow._values.validation import describe, require_zone, utc

__all__ = ["to_ics"]

PRODID = "-//coachflow//coaching engagement//EN"

_CONFIRMED, _TENTATIVE, _CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"
_OVER = (Phase.FOLLOW_UP, Phase.COMPLETED, Phase.TERMINATED)  # no more sessions to come
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@attrs.frozen
class _Entry:
    start: dt.datetime
    minutes: int
    summary: str
    description: str
    status: str

    def moved_from(self, other: _Entry) -> bool:
        return (utc(self.start), self.minutes, self.status) != (
            utc(other.start),
            other.minutes,
            other.status,
        )


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def _clean(text: str) -> str:
    """Text a calendar file may hold: line breaks as ``\\n``, no other control characters
    (icalendar escapes the rest: backslash, comma, semicolon, line breaks)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _entries(engagement: Contract, at: dt.time) -> dict[str, _Entry]:
    """The calendar as the engagement stands: one entry per key (the UID's stable part)."""
    schedule, agreement, programme = plan(engagement), engagement.agreement, engagement.programme
    zone = engagement.time_zone
    assert schedule is not None and agreement is not None and programme is not None
    assert zone is not None
    over = engagement.phase in _OVER
    terminated = engagement.phase is Phase.TERMINATED
    low, high = programme.session_minutes
    usual = (low + high) // 2
    people = f"{engagement.coach.name} and {engagement.client.name}"
    modes = ", ".join(sorted(mode.value.replace("_", " ") for mode in agreement.modes))

    def planned(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, at, zone)

    timed = agreement.rhythm is not None and rhythm(agreement.rhythm).time is not None
    slots = [  # the rhythm's own time of day when it names one
        moment.replace(tzinfo=zone) if timed else planned(moment.date())
        for moment in planned_sessions(engagement)
    ]

    entries: dict[str, _Entry] = {}
    # the sessions held and the open bookings take the plan's slots in the order of time
    held_or_booked: list[tuple[dt.datetime, Session | Booking]] = [
        (session.held_at, session) for session in engagement.sessions
    ]
    held_or_booked += [(booking.starts_at, booking) for booking in engagement.bookings]
    held_or_booked.sort(key=lambda item: item[0])
    count = len(slots)
    events = engagement.events
    closing = next((e for e in events if isinstance(e, ClosingBegun)), None)
    begun_closing = closing is not None
    for index in range(max(count, len(held_or_booked))):
        number = index + 1
        title = f"Coaching session {number} of {count}"
        if index >= count:
            title = f"Coaching session {number} (beyond the plan)"
        key = f"session-{number}"
        if index < len(held_or_booked):
            item = held_or_booked[index][1]
            how = item.mode.value.replace("_", " ")
            if isinstance(item, Session):
                entries[key] = _Entry(
                    item.held_at,
                    item.minutes,
                    title,
                    f"{people}. Held {how}, {item.minutes} minutes.",
                    _CONFIRMED,
                )
            else:
                entries[key] = _Entry(
                    item.starts_at,
                    item.minutes,
                    title,
                    f"{people}. Booked ({item.id}): {how}, {item.minutes} minutes.",
                    _CANCELLED if over else _CONFIRMED,
                )
        elif index < count - 1 or begun_closing:  # the last planned one is the closing's
            entries[key] = _Entry(
                slots[index],
                usual,
                title,
                f"{people}. Planned; agreed modes: {modes}.",
                _CANCELLED if over else _TENTATIVE,
            )
    for booking, event, late, _ in engagement.cancellations:
        role = engagement.parties[event.by].role.value
        entries[f"booking-{_quote(booking.id)}"] = _Entry(
            booking.starts_at,
            booking.minutes,
            "Cancelled coaching session",
            f"{people}. Booked ({booking.id}); cancelled by the {role}"
            + (" at short notice." if late else "."),
            _CANCELLED,
        )
    for booking in engagement.no_shows:
        entries[f"booking-{_quote(booking.id)}"] = _Entry(
            booking.starts_at,
            booking.minutes,
            "Missed coaching session",
            f"{people}. Booked ({booking.id}); the client did not turn up.",
            _CANCELLED,
        )

    first = next((e for e in events if isinstance(e, Agreed)), None)
    if first is not None:
        signed = "; ".join(
            f"signed by {engagement.parties[party_id].name} "
            f"({engagement.parties[party_id].role.value}) on "
            f"{engagement.day_of(when).isoformat()}"
            for party_id, when in engagement.signatures.items()
        )
        waiting = [party.name for party in engagement.unsigned]
        awaiting = f"; awaiting {', '.join(waiting)}" if waiting else ""
        in_force = engagement.phase is not Phase.AGREEMENT
        entries["agreement"] = _Entry(
            first.at,
            usual,
            "Coaching agreement",
            f"{people}. Start-up meeting: the coaching agreement, {signed}{awaiting}.",
            _CONFIRMED if in_force else _TENTATIVE,
        )

    begun = next((e for e in events if isinstance(e, MidpointReviewBegun)), None)
    if begun is not None or schedule.midpoint is not None:
        what = "Is the process heading the right way? Reformulate or supplement the goals."
        if begun is not None:
            entries["midpoint"] = _Entry(begun.at, usual, "Midpoint review", what, _CONFIRMED)
        else:
            assert schedule.midpoint is not None
            status = _CANCELLED if over else _TENTATIVE
            entries["midpoint"] = _Entry(
                planned(schedule.midpoint), usual, "Midpoint review", what, status
            )

    what = "Goal attainment, celebrating progress, and an action plan."
    if closing is not None:
        entries["closing"] = _Entry(closing.at, usual, "Closing session", what, _CONFIRMED)
    else:  # held at the last planned session, at its time when the rhythm names one
        status = _CANCELLED if terminated else _TENTATIVE
        last = slots[-1] if slots and slots[-1].date() == schedule.closing else None
        when = last or planned(schedule.closing)
        entries["closing"] = _Entry(when, usual, "Closing session", what, status)

    sponsor = engagement.sponsor
    if agreement.three_party_follow_up and sponsor is not None:
        what = f"{people} with {sponsor.name}: how did it go?"
        title = "Three-party follow-up"
        held_up = next((e for e in events if isinstance(e, FollowUpHeld)), None)
        skipped = any(isinstance(e, FollowUpSkipped | Terminated) for e in events)
        if held_up is not None:
            entries["follow-up"] = _Entry(held_up.at, usual, title, what, _CONFIRMED)
        else:
            since = engagement.phase_since if engagement.phase is Phase.FOLLOW_UP else None
            due = (since or schedule.closing) + dt.timedelta(days=programme.follow_up_within_days)
            status = _CANCELLED if skipped else _TENTATIVE
            entries["follow-up"] = _Entry(planned(due), usual, title, what, status)
    return entries


def _sequences(engagement: Engagement, at: dt.time) -> dict[str, int]:
    """How often each entry moved (start, length or status) over the history: its
    ``SEQUENCE``, so that a client importing a later export takes the change."""
    last: dict[str, _Entry] = {}
    moves: dict[str, int] = {}
    for state in unfold(Engagement, engagement.events):
        if state.agreement is None:
            continue
        for key, entry in _entries(state, at).items():
            before = last.get(key)
            if before is not None and entry.moved_from(before):
                moves[key] = moves.get(key, 0) + 1
            last[key] = entry
    return moves


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
    entries = _entries(engagement, at)
    moves = _sequences(engagement, at)
    stamp = engagement.events[-1].at.astimezone(dt.UTC)
    in_utc = zone.key == "UTC"
    uid = _quote(engagement.id)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _clean(f"Coaching: {engagement.client.name} ({engagement.id})")
    calendar.add("x-wr-calname", vText(name))
    years: list[int] = []
    for key, entry in entries.items():
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
