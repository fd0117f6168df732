"""The documentation site as a reader sees it: built with MkDocs, then laid out by a
real browser (Debian's headless ``chromium``) at 1280 px wide.

The site is built once, as soon as collection ends (``early`` in tests/conftest.py);
each page is then opened with tests/browser/overflow_probe.js injected, which reports
every table and code block wider than the room it has.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.support.early import Early, child_environment

ROOT = Path(__file__).parents[2]
PROBE = Path(__file__).parents[1] / "browser" / "overflow_probe.js"
WIDTH = 1280
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # a chroot or container may have a tiny /dev/shm
    # The theme asks for web fonts; the test must not depend on reaching them.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--window-size={WIDTH},900",
    # Lets the theme's script and the probe's timer run before the DOM is printed.
    "--virtual-time-budget=5000",
]


_BUILT: list[Path] = []
_BUILDING = threading.Lock()


def built_site() -> Path:
    """The site, built from this checkout with ``mkdocs build --strict``, once: the
    ``site`` fixture and the early job that lays the pages out both ask for it, from
    two threads, and must get the same directory (the fixture removes it)."""
    with _BUILDING:
        if not _BUILT:
            directory = Path(tempfile.mkdtemp(prefix="nhn-webhooks-site-"))
            _BUILT.append(directory)
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                 "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(directory)],
                check=True, capture_output=True, text=True, timeout=300,
                env=child_environment(NO_MKDOCS_2_WARNING="1"),
            )  # fmt: skip
        return _BUILT[0]


@pytest.fixture(scope="module")
def site(early: Early) -> Any:
    try:
        yield early.result(built_site)
    finally:
        for directory in _BUILT:  # also when the build failed half-way
            shutil.rmtree(directory, ignore_errors=True)


MISSING_CHROMIUM = (
    "chromium is not installed: apt-get install chromium (listed in .ci/system-packages)"
)


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise RuntimeError(MISSING_CHROMIUM)
    return found


@pytest.fixture(scope="session")
def browser() -> str:
    """Debian's chromium, found before any test waits on it: without it each test that
    lays pages out fails with the same one-line error, as the Redis tests do without
    redis-server."""
    return chromium()


def laid_out(page: Path) -> dict[str, Any]:
    """What the probe reports for ``page`` (a built HTML file) in headless chromium."""
    probed = page.with_name("probed.html")
    script = f"<script>{PROBE.read_text(encoding='utf-8')}</script>"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"))
    with tempfile.TemporaryDirectory(prefix="nhn-webhooks-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
             probed.as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    probed.unlink()
    report = re.search(r'<pre id="overflow-report">(.*?)</pre>', result.stdout, re.DOTALL)
    assert report is not None, f"no report from chromium: {result.stderr[-2000:]}"
    return dict(json.loads(html.unescape(report.group(1))))


PAGES = (
    "",  # Getting started
    "recipes",
    "events",
    "result-codes",
    "api",
    "quirks",
    "security",
    "scaling",
    "errors",
    "performance",
    "cli",
    "testing",
    "changelog",
)
"""Every page of the site's navigation (mkdocs.yml), by its directory in the build."""


def lay_out_pages() -> dict[str, dict[str, Any]]:
    """Every page's report; two browsers at a time (most of each run is start-up)."""
    site = built_site()
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = pool.map(laid_out, [site / page / "index.html" for page in PAGES])
        return dict(zip(PAGES, reports, strict=True))


@pytest.mark.early(job=lay_out_pages, first=True)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_fits_1280_pixels_without_sideways_scrolling(
    browser: str, early: Early, site: Path, page: str
) -> None:
    report = early.result(lay_out_pages)[page]
    assert report["viewport"] == WIDTH
    assert report["headings"] > 0  # the theme ran; there was a page
    assert report["overflowing"] == []


def test_events_reference_is_all_tables(browser: str, early: Early, site: Path) -> None:
    assert early.result(lay_out_pages)["events"]["tables"] >= 20


@pytest.mark.early(job=lay_out_pages)
@pytest.mark.parametrize("page", ["events", "performance", "testing"])
def test_names_in_tables_never_break_across_lines(
    browser: str, early: Early, site: Path, page: str
) -> None:
    report = early.result(lay_out_pages)[page]
    assert report["tables"] >= 2
    assert report["broken_names"] == []


@pytest.mark.early(job=lay_out_pages)
def test_the_sidebar_shows_every_name_in_full(browser: str, early: Early, site: Path) -> None:
    reports = early.result(lay_out_pages)
    assert {page: reports[page]["cut_labels"] for page in PAGES} == {page: [] for page in PAGES}


@pytest.mark.early(job=lay_out_pages)
def test_notes_for_github_readers_are_hidden_on_the_site(
    browser: str, early: Early, site: Path
) -> None:
    reports = early.result(lay_out_pages)
    notes = {page: reports[page]["github_only"] for page in PAGES if reports[page]["github_only"]}
    assert notes == {"api": 1, "recipes": 1, "changelog": 1}
    shown = {page: reports[page]["github_only_shown"] for page in PAGES}
    assert shown == dict.fromkeys(PAGES, 0)


def test_the_api_sidebar_lists_no_special_methods(site: Path) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    sidebar = page[page.index("md-sidebar--primary") : page.index('class="md-content"')]
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', sidebar, re.S)
    assert "AsyncRedisIdempotencyStore" in labels
    assert [label for label in labels if label.startswith("__")] == []


def test_api_signatures_are_formatted_one_parameter_a_line(site: Path) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    signature = re.search(r'<div class="[^"]*doc-signature[^"]*"><pre>(.*?)</pre>', page, re.S)
    assert signature is not None
    text = html.unescape(re.sub(r"<[^>]+>", "", signature.group(1)))
    assert text.startswith("decode(\n    body: Body,\n"), text


def test_command_line_page_shows_no_escaping_backslash(site: Path) -> None:
    page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    table = page[page.index("<table>") : page.index("</table>")]
    assert "\\" not in html.unescape(re.sub(r"<[^>]+>", "", table))
    assert "<code>decode [FILE]</code>" in table
