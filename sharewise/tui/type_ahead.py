"""Keys typed ahead reach the screen and the field they were typed for.

A practitioner under stress types ahead: `r` on the outcome and the case reference straight
after it, `f` on the dashboard and the date straight after it. Textual (8.x, app.py
`App.on_event`) hands every key the terminal delivers to the focused widget's queue at
once, and runs a key's binding only when the key has bubbled back up to the app
(`App._on_key`); the focus a binding moves with `Widget.focus()` moves later still (it is
posted to the app's queue, `widget.py`), and a pushed screen gets its focus only once it
has composed and mounted (`Screen._compose`, `_update_auto_focus`). So the keys typed after
`r` were already in the outcome screen's queue when `r` opened the form, and the keys typed
after `f` went to the figures, not the From box: lost, or taken as other commands.

`TypeAhead` hands the app one key at a time: the next key waits until the one before has
gone all the way (to the focused widget, up through its parents to the app, and its binding
has run), then until what that set moving has settled (one more pass up from wherever the
focus now is, for a button's press or a dismissed dialog's callback), and, if it opened a
screen, until that screen has mounted and taken its focus. The keys are then given to the
app in the order typed. A key typed when nothing is on its way goes straight through, as
before, and so does a character for the field that has the focus (it moves nothing: a burst
of typing into a field is as fast as without this); nothing is held for more than `LIMIT`
seconds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.timer import Timer

#: Seconds a held key waits at most (a screen that never mounts, a message lost on the
#: way): then it goes where Textual would have sent it.
LIMIT = 2.0
#: Seconds held at most for a screen the app itself is about to open (a walk asked for
#: while the tree loads, which on a busy machine takes longer than a screen's mount).
WAIT_LIMIT = 10.0
#: Seconds between looks at a screen still mounting (only while keys are held for it).
POLL = 0.01

TypedEvent = events.Key | events.Paste


def typed_into(event: TypedEvent | None) -> bool:
    """Whether `event` is a character that the widget it was sent to took as text."""
    return (
        isinstance(event, events.Key)
        and event.is_printable
        # Textual's own record of `event.stop()` (message.py); no public reader.
        and event._stop_propagation
    )


class TypeAhead:
    """The keys typed, handed to the app one at a time (see the module's docstring)."""

    def __init__(
        self,
        app: App[Any],
        dispatch: Callable[[events.Event], Awaitable[None]],
        wait: Callable[[], bool] = lambda: False,
    ) -> None:
        self.app = app
        #: Textual's own handling of a key that came from the terminal (`App.on_event`).
        self.dispatch = dispatch
        #: Whether the app itself is about to open a screen (a walk waiting for its tree).
        self.wait = wait
        self.held: deque[TypedEvent] = deque()
        #: A key is on its way; its trip's number (a late step of an older trip is ignored).
        self.busy = False
        self.trip = 0
        #: When the wait for the current trip (or screen) began.
        self.since = 0.0
        self._timer: Timer | None = None
        #: The screen last seen mounted and settled (a new one is settled once, then used).
        self._settled_screen: object | None = None
        #: The screen on top when the key on its way was handed to the app.
        self._trip_screen: object | None = None
        #: When the keys began waiting for a screen to mount (None: not waiting).
        self._waiting_since: float | None = None

    async def take(self, event: TypedEvent) -> None:
        """A key (or a paste) from the terminal: handled now, or after those before it."""
        self.held.append(event)
        await self.release()

    async def release(self) -> None:
        """Hand the held keys to the app, in order, for as long as nothing is on its way."""
        app = self.app
        while self.held and not self.busy:
            if not self._ready():
                return
            event = self.held.popleft()
            target: DOMNode = app.focused or app.screen
            if (
                isinstance(event, events.Key)
                and app.focused is not None
                and app.focused.check_consume_key(event.key, event.character)
            ):
                # A character for the field that has the focus (an Input, a TextArea): it
                # goes into that field's queue behind the ones before it, and moves nothing,
                # so the next key need not wait for it (a burst is typed at full speed).
                await self.dispatch(event)
                continue
            self._start()
            self._trip_screen = app.screen
            await self.dispatch(event)
            self._follow_from(target, self.trip, sweeps=1, event=event)

    # -- waiting for a screen ----------------------------------------------------------

    def _ready(self) -> bool:
        """Whether the screen on top can take a key (else look again in a moment)."""
        app = self.app
        try:
            screen = app.screen
        except ScreenStackError:  # the app is closing: nothing left to type into
            self.held.clear()
            return False
        pending = self.wait()
        waiting = pending or not screen.is_mounted
        limit = WAIT_LIMIT if pending else LIMIT
        if waiting and monotonic() - self._wait_began() < limit:
            self._poll()
            return False
        if screen is not self._settled_screen and not waiting:
            # Just mounted: a focus its mount asked for (posted to the app) comes first.
            self._settled_screen = screen
            self._start()
            app.call_later(self._arrived, self.trip, 0)
            return False
        self._waiting_since = None
        return True

    def _wait_began(self) -> float:
        if self._waiting_since is None:
            self._waiting_since = monotonic()
        return self._waiting_since

    def _poll(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_timer(POLL, self._tick)

    async def _tick(self) -> None:
        self._timer = None
        if not self.app.is_running:
            return
        if self.busy and monotonic() - self.since >= LIMIT:
            self._done()  # lost on the way: let the rest through rather than freeze
        if self.busy and self.held:
            self._poll()
            return
        await self.release()

    # -- following a key on its way ----------------------------------------------------

    def _start(self) -> None:
        self.busy = True
        self.trip += 1
        self.since = monotonic()
        if self.held:
            self._poll()  # the watch on a trip that never ends

    def _done(self) -> None:
        self.busy = False
        self.trip += 1

    def _follow_from(
        self, node: DOMNode, trip: int, sweeps: int, event: TypedEvent | None = None
    ) -> None:
        """Go up from `node` to the app, one queue at a time: each step runs in a node's
        own task after everything posted to it before (the key, and whatever the key posted
        on its way up), and then posts the next step to the node's parent."""
        if not node.call_later(self._step, node, trip, sweeps, event):
            self._step(node, trip, sweeps, event)  # closed (its screen went): go on up

    def _step(self, node: DOMNode, trip: int, sweeps: int, event: TypedEvent | None = None) -> None:
        if trip != self.trip:
            return
        app = self.app
        if typed_into(event):
            # A character a field took (Input, TextArea stop the key where they insert
            # it): nothing else moves, so the next key may go now, at typing speed.
            app.call_later(self._arrived, trip, 0)
            return
        parent = node.parent
        while parent is not None and parent is not app:
            if parent.call_later(self._step, parent, trip, sweeps):
                return
            parent = parent.parent
        app.call_later(self._arrived, trip, sweeps)

    async def _arrived(self, trip: int, sweeps: int) -> None:
        """At the app, after the key's binding ran (it went before this step)."""
        if trip != self.trip:
            return
        if sweeps and self.app.screen is self._trip_screen:
            # Once more from where the focus is now: a button's press, a dialog's result,
            # and a `Widget.focus()` the binding posted to the app, all land before the
            # next key does.
            self._follow_from(self.app.focused or self.app.screen, trip, sweeps - 1)
            return
        self._done()
        await self.release()
