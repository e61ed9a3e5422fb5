"""Outputs for people and other programs: the timeline, reports, the calendar, the
process diagram and the demo. They read engagements through their public queries."""
