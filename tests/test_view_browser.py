"""The view in a real browser: Debian's headless Chromium, driven by Playwright, on a site served on localhost.

Skipped, with the reason, where Chromium (apt-get install chromium chromium-driver) or the Python driver
(pip install -e '.[browser]') is missing; `.ci/run` installs both. Set LISTPARSE_SCREENSHOT=FILE to keep a
copy of the screenshot.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from listparse.view import read_works, work_page

from .test_view import SCRIPT_TITLE
from .test_view import site as site  # noqa: F401 - the fixture: hostile titles, two documents

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What Chromium needs on this kind of machine: as root, without a GPU, and no calls home on a closed network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                       reason=f"Chromium not found at {CHROMIUM}: apt-get install -y chromium chromium-driver"),
    pytest.mark.skipif(sync_playwright is None,
                       reason="the Python driver (playwright) is not installed: pip install -e '.[test,browser]'"),
]


@pytest.fixture
def served(site):  # noqa: F811 - the fixture imported above
    """The site on a free localhost port, for the length of one test."""
    handler = partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server gives it
        pass


@pytest.fixture
def browser_page(tmp_path):
    """A page of a fresh headless Chromium with its own empty profile; dialogs (alert()) are recorded."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        try:
            yield page
        finally:
            context.close()


def test_browser_search_open_a_work_and_follow_its_evidence_to_the_marked_line(site, served, browser_page,  # noqa: F811
                                                                                 tmp_path):
    """Search the works, open one, follow an evidence link: the source line's span is the highlighted target."""
    page = browser_page
    page.goto(f"{served}/index.html")
    rows = page.locator("#works tbody tr")
    assert rows.count() == len(list(read_works(site.parent)))

    page.locator("#search").press_sequentially("alert(1)")
    page.wait_for_function("document.querySelectorAll('#works tbody tr').length === 1")
    assert page.locator("#count").inner_text() == f"1 of {len(list(read_works(site.parent)))} works match"
    link = rows.first.locator("a")
    assert link.inner_text() == SCRIPT_TITLE  # the title is text, not a script

    link.click()
    work = next(work for work in read_works(site.parent) if work.title.value == SCRIPT_TITLE)
    page.wait_for_url(f"{served}/{work_page(work.id)}")
    assert page.locator("h1").inner_text() == SCRIPT_TITLE
    page.screenshot(path=str(tmp_path / "work.png"), full_page=True)

    evidence = next(each for each in work.title.evidence if each.source == "hostile.txt")
    page.locator(f"a.source[href$='#s{evidence.span.start}-{evidence.span.end}']").first.click()
    page.wait_for_url(f"**/documents/*#s{evidence.span.start}-{evidence.span.end}")
    target = page.locator(":target")
    assert target.count() == 1
    assert target.evaluate("element => element.tagName") == "MARK"
    assert target.inner_text() == evidence.raw
    assert target.evaluate("element => element.closest('.line').id") == f"L{evidence.span.line}"
    assert target.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 159, 67)"
    assert target.is_visible() and _in_viewport(target)

    screenshot = tmp_path / "evidence.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("LISTPARSE_SCREENSHOT"):
        shutil.copyfile(screenshot, os.environ["LISTPARSE_SCREENSHOT"])
    assert page.locator("img").count() == 0
    assert page.dialogs == [] and page.errors == []


def test_browser_search_works_offline_from_files(site, browser_page):  # noqa: F811
    """Opened from disk (file://, no server, no network), the works list still filters as you type."""
    page = browser_page
    page.goto((site / "index.html").as_uri())
    page.locator("#search").press_sequentially("plain")
    page.wait_for_function("document.querySelectorAll('#works tbody tr').length === 1")
    assert page.locator("#works tbody a").inner_text() == "Plain & Simple"
    page.locator("#search").fill("")
    page.wait_for_function("document.querySelectorAll('#works tbody tr').length > 1")
    assert page.dialogs == [] and page.errors == []


def _in_viewport(locator) -> bool:
    return locator.evaluate("element => { const box = element.getBoundingClientRect();"
                            " return box.top >= 0 && box.bottom <= window.innerHeight; }")
