// Reads iCalendar files with Mozilla's ical.js and prints, as JSON, every event's
// start and end in seconds since the epoch (UTC), by file and UID.
// Usage: ICALJS=/path/to/ical.js/dist/ical.js node read.mjs a.ics b.ics ...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.env.ICALJS).href)).default;
const out = {};
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  ICAL.TimezoneService.reset();
  for (const block of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(block));
  }
  const events = {};
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    events[event.uid] = {
      start: event.startDate.toUnixTime(),
      end: event.endDate.toUnixTime(),
      sequence: event.sequence,
      summary: event.summary,
    };
  }
  out[path] = events;
}
process.stdout.write(JSON.stringify(out));
