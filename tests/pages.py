"""Reading coachflow's HTML pages as a browser's DOM would: the marks of the SVG timeline,
the tables and their captions, anything that would load or run something."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import attrs

from coachflow import Closed, Engagement, FollowUpHeld, MidpointReviewBegun

__all__ = ["Page", "expected_marks", "read_page"]


@attrs.define
class Page(HTMLParser):
    """What a page holds, by element."""

    marks: Counter[str] = attrs.Factory(Counter)
    tags: Counter[str] = attrs.Factory(Counter)
    titles_in_svg: int = 0
    captions: int = 0
    tables: int = 0
    loads: list[str] = attrs.Factory(list)  # attributes that would fetch something
    lang: str | None = None
    _svg_depth: int = 0

    def __attrs_post_init__(self) -> None:
        HTMLParser.__init__(self)

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        values = dict(attributes)
        classes = (values.get("class") or "").split()
        if "mark" in classes:
            self.marks.update(c.removeprefix("mark-") for c in classes if c.startswith("mark-"))
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "svg":
            self._svg_depth += 1
        if tag == "title" and self._svg_depth:
            self.titles_in_svg += 1
        self.captions += tag == "caption"
        self.tables += tag == "table"
        for key in ("src", "href", "xlink:href"):
            if values.get(key):
                self.loads.append(f"{tag} {key}={values[key]}")
        if tag == "link" or (tag == "object") or tag == "iframe":
            self.loads.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def expected_marks(engagement: Engagement) -> Counter[str]:
    """The marks the timeline must draw for *engagement*, by kind."""
    events = engagement.events
    found = Counter(
        {
            "session": len(engagement.sessions),
            "booking": len(engagement.bookings),
            "cancellation": len(engagement.cancellations),
            "no_show": len(engagement.no_shows),
            "midpoint": sum(isinstance(e, MidpointReviewBegun) for e in events),
            "closing": sum(isinstance(e, Closed) for e in events),
            "follow_up": sum(isinstance(e, FollowUpHeld) for e in events),
        }
    )
    return +found  # the kinds with none drop out, as in a page's Counter
