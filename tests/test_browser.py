"""The HTML pages in a real browser: headless Chromium (Debian's package; .ci/run installs
it) loads each page from a file, takes a screenshot that is not blank, and its DOM holds
the marks the engagement calls for."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from builders import active, at, closing, session
from coachflow import Engagement, render, report
from coachflow._outputs.demo import demo_engagement
from pages import expected_marks, read_page
from png import colours

#: Chromium as the machine's probe starts it: no network, no first-run work.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = os.environ.get("COACHFLOW_TEST_CHROMIUM") or shutil.which("chromium") or ""
    if found and Path(found).exists():
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must load the pages in Chromium: COACHFLOW_TEST_CHROMIUM is not set")
    pytest.skip("Chromium is not installed here; .ci/run installs it")


def _chromium(binary: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _engagements() -> dict[str, Engagement]:
    demo = demo_engagement()
    eng, day = closing(follow_up=True)
    eng.close(at=at(day, 15), by="coach", attainment=[], action_plan=None)
    fresh = active()
    fresh.record_session(session(fresh.start or day), at=at(fresh.start or day, 12), by="coach")
    return {"demo": demo, "closing": eng, "fresh": fresh}


@pytest.mark.parametrize("locale", ["en", "sv"])
@pytest.mark.parametrize("which", ["demo", "closing", "fresh", "report"])
def test_a_page_in_chromium(chromium: str, tmp_path: Path, which: str, locale: str) -> None:
    found = _engagements()
    if which == "report":
        shown = None
        closed = found["closing"]
        counted = report(list(found.values()), closed.day_of(closed.events[-1].at))
        html = render(counted, format="html", locale=locale)
    else:
        shown = found[which]
        html = render(shown, format="html", locale=locale)
    page = tmp_path / f"{which}-{locale}.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,900",
              page.as_uri())  # fmt: skip
    painted = colours(shot.read_bytes())
    assert len(painted) >= 20, len(painted)  # text, bands and marks: not a blank page
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    read = read_page(dom)
    assert read.tags["svg"] >= 1 and read.tables >= 1
    if shown is not None:
        assert read.marks == expected_marks(shown)
        assert read.marks["session"] == len(shown.sessions) >= 1
    else:
        assert dom.count('class="bar bar-') == 8  # one bar a phase
