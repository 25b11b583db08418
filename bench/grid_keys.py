"""Key-to-frame latency of the journal grid, measured inside a headless Textual app.

Run ``python bench/grid_keys.py`` (``--smoke`` for a tiny fast run). Prints::

    key_to_screen_p95_ms: X   typing marks on 35 × 120 (p95 of 200 keys)
    scroll_key_p95_ms: X      arrow keys that scrolled horizontally, worst p95 of both pages
    wide_ratio: X             median key-to-screen of 35 × 600 over that of 35 × 120
    peak_rss_mb: X            peak resident memory of this process

How a key is timed (inside the app, not around ``pilot.press``): the start is the Key
event's own timestamp (``Message.time``, Textual's monotonic clock, set when the event is
created, before it is queued), so queueing, binding lookup and the action all count. The
end is a ``call_after_refresh`` callback: Textual runs those after the screen's compositor
has produced the next frame. Because the callback is scheduled from the key handler, it
could in principle run before the widget's refresh reached the screen; so the probe also
counts ``render_line`` calls and re-arms the callback until the grid has actually been
redrawn, then takes the time. The frame is therefore complete (all dirty lines rendered and
composed) when the clock stops. Headless runs skip only the final write of escape codes to
a terminal, which is outside Textual's control and the same for any widget.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Footer

from core.journal import page as journal
from kernel.marks import Attendance, MarkValue
from tui.widgets.journal_grid import JournalGrid

SIZE = (160, 48)
MARK_KEYS = "54342453"
NO_FRAME = 0.2
KEY_GAP = 0.04
"""Seconds between keys: 25 keys a second, the rate of a held arrow key. Textual paints at
most 60 frames a second; keys closer than 1/60 s apart share a frame and wait for it."""


@dataclass
class FrameProbe:
    """Holds the start of the key being timed and the latencies measured so far."""

    key_time: float | None = None
    renders: int = 0
    last: float | None = None
    """The latest key's latency in ms, None if the key changed nothing on screen."""
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self, at: float) -> None:
        """A key event created at ``at`` is being handled."""
        self.key_time, self.renders, self.last = at, 0, None
        self.done.clear()

    def waiting(self) -> bool:
        """The key's frame has not been drawn yet (given up after NO_FRAME seconds)."""
        if self.key_time is None or self.renders:
            return False
        return time.monotonic() - self.key_time < NO_FRAME

    def finish(self) -> None:
        """The frame showing the key's effect is complete (or there is none)."""
        if self.key_time is not None and self.renders:
            self.last = (time.monotonic() - self.key_time) * 1000
        self.key_time = None
        self.done.set()


class ProbedGrid(JournalGrid):
    """The grid with the probe's hooks: key start, render count, after-frame callback."""

    def __init__(self, page: journal.JournalPage, probe: FrameProbe) -> None:
        super().__init__(page)
        self.probe = probe

    def key_arrives(self, event: events.Key) -> None:
        """A key reaches the program (the grid's keys are answered in the app's turn, as
        priority bindings, before any widget sees the key)."""
        self.probe.start(event.time)
        self.call_after_refresh(self._after_frame)

    def render_line(self, y: int) -> Strip:
        self.probe.renders += 1
        return super().render_line(y)

    def _after_frame(self) -> None:
        if self.probe.waiting():
            self.call_after_refresh(self._after_frame)  # the refresh had not landed yet
        else:
            self.probe.finish()


class BenchApp(App[None]):
    """The grid and a footer, as on the journal screen."""

    def __init__(self, page: journal.JournalPage, probe: FrameProbe) -> None:
        super().__init__()
        self.page, self.probe = page, probe

    def compose(self) -> ComposeResult:
        yield ProbedGrid(self.page, self.probe)
        yield Footer()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.query_one(ProbedGrid).key_arrives(event)
        await super().on_event(event)


def make_page(students: int, lessons: int, seed: int = 1) -> journal.JournalPage:
    """A filled page: attendance and marks in the first half, the rest still to come."""
    rnd = random.Random(seed)
    rows = tuple(journal.StudentRow(i, f"Фамилия{i:02}", "Имя", 1 + i % 2) for i in range(students))
    cols = tuple(journal.LessonColumn(10_000 + j, date(2026, 9, 1) + timedelta(days=j // 3),
                                      1 + j % 4, "ТПЛ"[j % 3], substitute=j % 17 == 0)
                 for j in range(lessons))
    page = journal.JournalPage("ИС-21 · Математика · I семестр", rows, cols)
    for lesson in cols[: lessons // 2]:
        for student in rows:
            attendance = rnd.choices(list(Attendance), weights=(90, 5, 5))[0]
            marks = ((journal.MarkEntry("oral", rnd.choice(list(MarkValue)[:4])),)
                     if rnd.random() < 0.35 else ())
            page.cells[(student.student_id, lesson.lesson_id)] = journal.Cell(marks, attendance)
    page.summaries.update({s.student_id: journal.StudentSummary("12", "4,25", "4", "4")
                           for s in rows})
    return page


async def press(app: App[None], probe: FrameProbe, key: str) -> float | None:
    """Send one key (after the gap) and wait for the frame that shows it; its latency in ms
    (None if the key changed nothing on screen, e.g. Home on the first lesson).

    Keys go to the app as the terminal driver delivers them (``post_message``), not through
    ``Pilot.press``, whose idle waits cost ~50 ms a key and would make the run slow.
    """
    await asyncio.sleep(KEY_GAP)
    probe.done.clear()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    await asyncio.wait_for(probe.done.wait(), timeout=5)
    return probe.last


async def type_marks(app: App[None], grid: JournalGrid, probe: FrameProbe,
                     count: int) -> list[float]:
    """Type ``count`` marks down successive columns (the moves between columns not kept)."""
    latencies = []
    for n in range(count):
        if grid.cursor_row == len(grid.page.students) - 1 and n:
            for key in ("right", "pageup"):
                await press(app, probe, key)
        latency = await press(app, probe, MARK_KEYS[n % len(MARK_KEYS)])
        if latency is not None:
            latencies.append(latency)
        elif grid.cursor_row < len(grid.page.students) - 1:
            await press(app, probe, "down")   # a refused mark (absent) keeps the cursor: step on
    return latencies


async def walk_right(app: App[None], grid: JournalGrid, probe: FrameProbe) -> list[float]:
    """Arrow from the first lesson to the last; latencies of the keys that scrolled."""
    await press(app, probe, "home")
    scrolled = []
    for _ in range(len(grid.page.lessons) - 1):
        before = grid.scroll_offset.x
        latency = await press(app, probe, "right")
        if latency is not None and grid.scroll_offset.x != before:
            scrolled.append(latency)
    return scrolled


async def measure(students: int, lessons: int, marks: int) -> tuple[list[float], list[float]]:
    """Typing and scrolling latencies on one page size."""
    probe = FrameProbe()
    app = BenchApp(make_page(students, lessons), probe)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.query_one(ProbedGrid)
        grid.select_lesson(grid.page.lessons[lessons // 2].lesson_id)
        await pilot.pause()
        await type_marks(app, grid, probe, 20)  # warm-up, not counted
        typing = await type_marks(app, grid, probe, marks)
        scrolling = await walk_right(app, grid, probe)
    return typing, scrolling


def p95(values: list[float]) -> float:
    """The 95th percentile (the largest value of fewer than two: on the demo's page most keys
    of a short smoke run may land on absent students, whose marks are refused without a frame)."""
    if len(values) < 2:
        return max(values, default=float("nan"))
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny fast run")
    args = parser.parse_args()
    students, narrow, wide, marks = (8, 24, 60, 20) if args.smoke else (35, 120, 600, 200)
    typing, scroll = asyncio.run(measure(students, narrow, marks))
    typing_wide, scroll_wide = asyncio.run(measure(students, wide, marks))
    print(f"key_to_screen_p95_ms: {p95(typing):.2f}")
    print(f"scroll_key_p95_ms: {max(p95(scroll), p95(scroll_wide)):.2f}")
    print(f"wide_ratio: {statistics.median(typing_wide) / statistics.median(typing):.2f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"# {students}x{wide}: key_to_screen_p95_ms {p95(typing_wide):.2f}, "
          f"median {statistics.median(typing_wide):.2f} vs {statistics.median(typing):.2f}; "
          f"scroll p95 {p95(scroll):.2f} / {p95(scroll_wide):.2f} "
          f"({len(scroll)} / {len(scroll_wide)} scrolling keys); "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
