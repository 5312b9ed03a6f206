"""iCalendar file of a symposium's dates, with its time zone and a stable UID."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from portal.core.translated import marked
from portal.countries.names import country_name
from portal.symposia.models import Symposium

DAY_START, DAY_END = time(9, 0), time(18, 0)


def symposium_event(symposium: Symposium, url: str) -> Event:
    """The symposium as a calendar event; its UID stays the same across edits and in every calendar."""
    zone = ZoneInfo(symposium.timezone)
    times = [item.starts_at for item in symposium.agenda if item.starts_at and item.day == symposium.start_date]
    starts = datetime.combine(symposium.start_date, min(times) if times else DAY_START, tzinfo=zone)
    ends = datetime.combine(symposium.end_date, DAY_END, tzinfo=zone)
    event = Event()
    event.add("uid", f"symposium-{symposium.id}@coresponsibility-portal")
    event.add("dtstamp", symposium.updated_at)
    event.add("sequence", symposium.version)
    event.add("dtstart", starts)
    event.add("dtend", max(ends, starts + timedelta(hours=1)))
    # The reader's language, else the other marked; LANGUAGE (RFC 5545) says which one it is.
    title = symposium.title
    event.add("summary", marked(title), parameters={"LANGUAGE": title.lang})
    event.add("location", f"{symposium.city}, {country_name(symposium.country_iso3)}")
    event.add("url", url)
    if description := symposium.description:
        event.add("description", marked(description), parameters={"LANGUAGE": description.lang})
    return event


def calendar_of(events, name: str | None = None) -> bytes:
    """An RFC 5545 calendar of ``events``, with the time zones they use."""
    calendar = Calendar()
    calendar.add("prodid", "-//Co-responsibility portal//Symposia//ES")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def symposium_calendar(symposium: Symposium, url: str) -> bytes:
    """Return the symposium as an RFC 5545 calendar of one event."""
    return calendar_of([symposium_event(symposium, url)])
