"""The HTML board paper in a real browser: Debian's Chromium, headless, driven by Playwright.

The page must show its charts and tables, and ask nothing of any host: every request the
page makes is recorded, and only the page itself may appear. Chromium comes from the
distribution (scripts/ensure-chromium, run by `make test`), never from Playwright's own
download; without it the test skips and says why.
"""

from __future__ import annotations

from pathlib import Path

from bank_ledger import build

from sharewise.cli import main
from sharewise.store import open_ledger
from tests.chromium import ARGS, CHROMIUM, needs_chromium

pytestmark = needs_chromium


def test_the_board_paper_shows_its_charts_and_fetches_nothing(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    with open_ledger(data) as ledger:
        build(ledger)
    page_file = tmp_path / "board.html"
    args = ["--data-dir", str(data), "audit", "report", "--format", "html"]
    assert main([*args, "--verify", "--out", str(page_file)]) == 0
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
        )
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            charts = page.locator("figure svg")
            assert charts.count() >= 6
            box = charts.first.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 80
            assert page.locator("figure svg rect").count() > 10  # bars drawn
            assert page.locator("#chain").inner_text().startswith("The ledger's hash chain")
            assert page.locator("table").count() >= 8
            assert "Lawful basis" in page.locator("h2").all_inner_texts()[2]
            pdf = page.pdf()  # the page prints
            assert pdf.startswith(b"%PDF")
        finally:
            browser.close()
    assert requests == [page_file.as_uri()], requests
