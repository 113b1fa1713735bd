"""Reading and typing into the app in the browser: textual-serve's xterm.js terminal.

xterm.js draws the screen on a canvas (WebGL), so there is no text in the page to read. The
terminal object itself holds the screen, as text, in its buffer: an init script catches it
as textual-serve's page creates it (the page assigns it to a `terminal` property; the
setter below keeps it in `window.__sharewiseTerminal`), and every read goes through
`buffer.active`, which is what xterm.js draws. Keys go in as a person's do: Playwright's
keyboard, into xterm's focused input, then over the WebSocket to the app.

Every wait is for something on the screen (polled in the page by `wait_for_function`), never
a sleep; a wait that times out fails with the screen as it was.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active) window.__sharewiseTerminal = value;
  },
});
"""

# The screen as lines of text, and the row the terminal's cursor is on (Textual puts the
# terminal's cursor where the focused input's is).
_SCREEN = """() => {
  const t = window.__sharewiseTerminal;
  if (!t) return null;
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return {rows, cursorY: b.cursorY};
}"""

_HAS = f"""(texts) => {{
  const s = ({_SCREEN})();
  if (!s) return false;
  const all = s.rows.join("\\n");
  return texts.every(t => all.includes(t));
}}"""

_ROW_HAS = f"""(texts) => {{
  const s = ({_SCREEN})();
  return !!s && s.rows.some(r => texts.every(t => r.includes(t)));
}}"""


class Terminal:
    """The app's screen in one browser page."""

    def __init__(self, page: Page, timeout: float = 30_000) -> None:
        self.page = page
        self.timeout = timeout

    def screen(self) -> str:
        found: Any = self.page.evaluate(_SCREEN)
        return "" if found is None else "\n".join(r.rstrip() for r in found["rows"])

    def cursor_row(self) -> int:
        found: Any = self.page.evaluate(_SCREEN)
        return -1 if found is None else int(found["cursorY"])

    def _wait(self, script: str, arg: object, what: str) -> None:
        try:
            self.page.wait_for_function(script, arg=arg, timeout=self.timeout)
        except PlaywrightError:
            raise AssertionError(
                f"waited for {what}; the screen was (cursor on row {self.cursor_row()}):\n"
                f"{self.screen()}"
            ) from None

    def caught(self) -> None:
        """Until the page has made its terminal (and the init script has caught it)."""
        try:
            self.page.wait_for_function("() => !!window.__sharewiseTerminal", timeout=self.timeout)
        except PlaywrightError:
            raise AssertionError(
                "the page made no xterm.js terminal that CATCH_TERMINAL could catch: if "
                "textual-serve's page no longer assigns it to a `terminal` property, update "
                f"tests/browser/terminal.py. The page says: {self.page.inner_text('body')[:500]!r}"
            ) from None

    def wait_for(self, *texts: str) -> None:
        """Until every one of `texts` is on the screen."""
        self._wait(_HAS, list(texts), f"{texts!r} on the screen")

    def wait_for_row(self, *texts: str) -> None:
        """Until one row of the screen has every one of `texts`."""
        self._wait(_ROW_HAS, list(texts), f"{texts!r} on one row")

    def focus(self) -> None:
        self.page.locator(".xterm-helper-textarea").focus()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
