"""The rules of bookings: confirmed or not, missed, cancelled late, the package used up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Severity
from coachflow._values.i18n import N_, t
from coachflow._values.names import name
from coachflow._values.sessions import Booking, Session
from coachflow._values.wording import hours_words, moment_words

__all__ = ["unconfirmed"]


def unconfirmed(state: State, today: dt.date) -> list[tuple[dt.date, Booking]]:
    """The open bookings whose day (in the engagement's zone) is before *today*, with
    that day, by start; once the engagement has ended, only those that began before."""
    found = []
    ended = state.phase_began_at if state.phase.is_terminal else None
    for booking in state.bookings:
        day = state.day_of(booking.starts_at)
        if day >= today:
            break
        if ended is None or booking.starts_at < ended:
            found.append((day, booking))
    return found


@rule(
    "booking.unconfirmed",
    Severity.WARNING,
    raised_when="an open booking whose day is before `today`",
)
def booking_unconfirmed(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """A booking is *open* until a session is recorded with its id (`record_session(...,
    booking_id=)`), it is cancelled (`cancel_session`) or a no-show is recorded
    (`record_no_show`). Raised, on the booking's day (in the engagement's zone), for each
    open booking whose day is before `today`: the day itself is left for the session to be
    recorded. Once the engagement has ended (completed or terminated), only for bookings
    that began before it ended; later ones simply lapsed. The next action
    `booking.confirm` asks for the same. `params`: `booking_id`, `starts_at` (ISO 8601,
    as booked).
    """
    for day, booking in unconfirmed(state, today):
        yield (
            day,
            t(
                "booking {booking_id!r} for {starts_at} has passed with no session, "
                "cancellation or no-show recorded",
                booking_id=booking.id,
                starts_at=moment_words(booking.starts_at, state.time_zone),
            ),
            {"booking_id": booking.id, "starts_at": booking.starts_at.isoformat()},
        )


@rule("session.no_show", Severity.WARNING, raised_when="the client did not turn up for a booking")
def session_no_show(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the booking's day, for every no-show recorded whose day is not after
    `today`. A no-show always uses up one of the allotted sessions
    ([`allocation`][coachflow.Engagement.allocation]). `params`: `booking_id`, `starts_at`.
    """
    for booking in state.no_shows:
        day = state.day_of(booking.starts_at)
        if day <= today:
            yield (
                day,
                t(
                    "the client did not turn up for booking {booking_id!r} for {starts_at}",
                    booking_id=booking.id,
                    starts_at=moment_words(booking.starts_at, state.time_zone),
                ),
                {"booking_id": booking.id, "starts_at": booking.starts_at.isoformat()},
            )


@rule(
    "session.late_cancellation",
    Severity.INFO,
    raised_when="a booking cancelled with less notice than required",
    tolerance="`cancellation_notice_hours` (24)",
)
def session_late_cancellation(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """A cancellation is *late* when it is made less than
    `Programme.cancellation_notice_hours` (default 24, at most 8784) before the booked
    start, or after it: `starts_at - at < cancellation_notice_hours` hours. Both are
    instants, so the hours are real hours: across the night the clocks go forward, 09:30
    on Saturday to 09:00 on Sunday is 22.5 hours, not 23.5. Exactly the notice is in time.
    Raised, on the day of the cancellation (judged from that day on), for every late
    cancellation, whoever made it. It uses up a session (`params["forfeits"]`) when the
    client made it and `Programme.late_cancellation_counts` (default true); a late
    cancellation by the coach never does. `params`: `booking_id`, `hours_notice` (the real
    hours given, rounded to 0.01; negative after the start), `notice_hours`, `by` (the
    role), `forfeits`.
    """
    programme = state.programme
    assert programme is not None
    parties = state.parties
    for booking, event, late, forfeits in state.cancellations:
        day = state.day_of(event.at)
        if late and day <= today:
            hours = round((booking.starts_at - event.at).total_seconds() / 3600, 2)
            role = parties[event.by].role
            yield (
                day,
                t(
                    N_(
                        "booking {booking_id!r} for {starts_at} was cancelled by the {role} "
                        "{hours} before (notice: {notice}); it uses up a session"
                    )
                    if forfeits
                    else N_(
                        "booking {booking_id!r} for {starts_at} was cancelled by the {role} "
                        "{hours} before (notice: {notice})"
                    ),
                    booking_id=booking.id,
                    starts_at=moment_words(booking.starts_at, state.time_zone),
                    role=name(role),
                    hours=hours_words(hours),
                    notice=hours_words(programme.cancellation_notice_hours),
                ),
                {
                    "booking_id": booking.id,
                    "hours_notice": hours,
                    "notice_hours": programme.cancellation_notice_hours,
                    "by": role.value,
                    "forfeits": forfeits,
                },
            )


@rule(
    "allocation.exceeded",
    Severity.WARNING,
    judged_in="any, with a package",
    raised_when="more sessions held and forfeited than `Programme.sessions`",
    tolerance="`sessions` (none: not judged)",
)
def allocation_exceeded(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Judged only when the programme names its allotment, `Programme.sessions` (a package
    that was bought). Without one the allotment is `months * sessions_per_month`, an
    estimate of the cadence (a fortnightly rhythm holds 13 sessions in six months, not
    12), and the cadence rules judge the pace instead. The *uses* by `today` are the
    sessions held by `today` and the forfeits: no-shows (on the booking's day) and late
    cancellations that use a session (on their day). Raised once, on the day of the first
    use beyond the allotment, when there are more uses than `sessions`. `params`:
    `allotted`, `used`, `held`, `forfeited` (all as of `today`).
    """
    programme = state.programme
    assert programme is not None
    if programme.sessions is None:
        return
    allotted, day_of = programme.sessions, state.day_of
    forfeits = [day_of(booking.starts_at) for booking in state.no_shows]
    forfeits += [day_of(c.event.at) for c in state.cancellations if c.forfeits]
    forfeits = [day for day in forfeits if day <= today]
    used = len(days) + len(forfeits)
    if used > allotted:
        over = sorted([*days, *forfeits])[allotted]
        yield (
            over,
            t(
                "{used} sessions used ({held} held, {forfeited} forfeited) of {allotted} allotted",
                used=used,
                held=len(days),
                forfeited=len(forfeits),
                allotted=allotted,
            ),
            {
                "allotted": allotted,
                "used": used,
                "held": len(days),
                "forfeited": len(forfeits),
            },
        )
