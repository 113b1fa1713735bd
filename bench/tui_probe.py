"""Start an app headless and exit at its first painted frame: `python tui_probe.py sharewise|bare`.

With BENCH_TUI_READY set, it exits instead once the app is ready to use (the tree loaded)
and has idled for a second: the running app's memory.

Both apps are measured the same way, so the whole child's wall time is "process start to first
paint": the process ends at once, by `os._exit`, when that frame is out. `App.run` is wrapped
(not the app) so the sharewise app starts by the real route, `sharewise` with no command; the
first frame of the wanted screen is forced all the way to terminal text (headless drivers skip
that step) before the process ends.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from typing import Any

from textual.app import App

SIZE = (120, 40)
_original_run = App.run


def _exit_at_first_paint(app: App[Any], screen_name: str | None) -> None:
    original = app._display
    sink = io.StringIO()
    done = False

    def display(screen: Any, renderable: Any) -> None:
        nonlocal done
        original(screen, renderable)
        if done or renderable is None or app._batch_count:
            return
        if screen_name is not None and type(screen).__name__ != screen_name:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            sink.write(render(app.console))  # what a real terminal would have been sent
        done = True
        dump = os.environ.get("BENCH_TUI_DUMP")
        if dump:
            with open(dump, "w", encoding="utf-8") as handle:
                handle.write(sink.getvalue())
        if os.environ.get("BENCH_TUI_READY"):
            _exit_when_ready(app)
            return
        # Stop the clock here: not at a clean exit, which waits for background workers (such
        # as the tree loading) and would measure their time instead of the first paint.
        sys.stdout.flush()
        os._exit(0)

    app._display = display  # type: ignore[method-assign]


def _exit_when_ready(app: App[Any]) -> None:
    """The running app's memory, not the first frame's: wait until the tree is loaded (the
    sharewise app's `decision_tree` or `tree_error` set; a bare app has none to load), let
    it settle for a second of idling, then end the process."""

    def watch() -> None:
        import time

        while getattr(app, "decision_tree", None) is None and hasattr(app, "decision_tree"):
            if getattr(app, "tree_error", None):
                break
            time.sleep(0.02)
        time.sleep(1.0)
        sys.stdout.flush()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _patched_run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
    _exit_at_first_paint(self, os.environ.get("BENCH_TUI_SCREEN") or None)
    kwargs.update(headless=True, size=SIZE)
    return _original_run(self, *args, **kwargs)


def main(which: str) -> int:
    # A screen that never paints must not hang the benchmark.
    watchdog = threading.Timer(60, os._exit, args=(3,))
    watchdog.daemon = True
    watchdog.start()
    App.run = _patched_run  # type: ignore[method-assign]
    if which == "bare":
        from textual.widgets import Label

        class Bare(App[int]):
            def compose(self) -> Any:
                yield Label("sharewise")

        Bare().run()
        return 0
    from sharewise.cli import main as sharewise_main

    return sharewise_main([])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
