"""``ejournal web`` driven in headless Chromium (Debian's ``chromium``): the demo parent logs in,
sees their child's week, and cannot see another child by any means — URL parameters, keys;
the other child's surname never appears. Staff are refused in the browser. A screenshot of the
week goes to docs/web-parent.png. A homework file the teacher attached reaches the parent's
browser as a download with the same bytes (Enter on the file: Textual's ``deliver_binary``).
Skipped with a reason where Chromium or Playwright is absent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.web_browser import (
    BrowserScreen,
    chromium_path,
    launch,
    log_in,
    open_journal,
    open_week,
    reach_child,
)
from core.family.service import children
from core.family.week import monday_of, read_week
from core.homework.store import attach_bytes
from core.session import log_in as log_in_as
from kernel import clock
from tests.cli.web.serving import WebServer, running_web
from tests.core.homework.sample import PDF
from tests.demo_fixture import DemoDb

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "web-parent.png"
CHROMIUM = chromium_path()
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Chromium is not installed (apt-get install chromium)")

STRANGER = """
SELECT p.id, p.surname, p.name FROM journal.student s JOIN journal.person p ON p.id = s.person_id
 WHERE s.group_id IN (SELECT s2.group_id FROM journal.guardian g
                        JOIN journal.student s2 ON s2.person_id = g.student_id
                        JOIN journal.account a ON a.person_id = g.parent_id WHERE a.login = %(login)s)
   AND s.person_id NOT IN (SELECT g.student_id FROM journal.guardian g
                             JOIN journal.account a ON a.person_id = g.parent_id
                            WHERE a.login = %(login)s)
   AND p.surname NOT IN (SELECT p2.surname FROM journal.guardian g
                           JOIN journal.person p2 ON p2.id = g.student_id
                           JOIN journal.account a ON a.person_id = g.parent_id
                          WHERE a.login = %(login)s)
 ORDER BY p.id LIMIT 1
"""


EMPTY_WEEK = "Занятий в журнале на этой неделе нет"


def parent_child_shown(screen_text: str, demo_db: DemoDb, login: str) -> bool:
    """True when the screen names one of the parent's own children."""
    with demo_db.connect() as conn:
        children = conn.execute(
            "SELECT p.surname || ' ' || p.name FROM journal.guardian g"
            "  JOIN journal.person p ON p.id = g.student_id"
            "  JOIN journal.account a ON a.person_id = g.parent_id WHERE a.login = %s",
            (login,)).fetchall()
    return any(name in screen_text for (name,) in children)


@pytest.fixture
def web(demo_db: DemoDb, tmp_path: Path) -> Iterator[WebServer]:
    with running_web(demo_db.dbname, tmp_path / "web.log", {}) as server:
        yield server


@pytest.fixture
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        opened = launch(playwright, str(CHROMIUM))
        yield opened
        opened.close()


def _press(page: Any, screen: BrowserScreen, key: str, seen: list[str]) -> str:
    page.keyboard.press(key)
    time.sleep(1.0)
    shown = screen.text()
    seen.append(shown)
    return shown


def test_parent_sees_own_child_week_and_no_other_child(web: WebServer, browser: Any,
                                                       demo_db: DemoDb) -> None:
    parent = demo_db.account("родитель")
    with demo_db.connect() as conn:
        stranger_id, stranger, stranger_name = conn.execute(STRANGER, {"login": parent.login}).fetchone()
    seen: list[str] = []
    # URL parameters that name the other child or another login change nothing: the page
    # passes none of them to the program, which asks for the login as in a terminal.
    tricks = f"?student={stranger_id}&child={stranger_id}&login=admin&person_id={stranger_id}"
    page, screen = open_journal(browser, web.url + "/" + tricks)
    log_in(page, screen, parent.login, parent.password)
    assert reach_child(screen, 60)   # the demo parent has two children: which one?
    seen.append(screen.text())
    week = open_week(page, screen, asked=True, timeout_s=30)
    deadline = time.monotonic() + 30
    while "Загрузка…" in week and time.monotonic() < deadline:
        time.sleep(0.3)
        week = screen.text()
    seen.append(week)
    assert "Посещ." in week and "Дисциплина" in week
    assert parent_child_shown(week, demo_db, parent.login)
    for _ in range(8):   # back to a week with lessons for the picture
        if EMPTY_WEEK not in week and "Загрузка…" not in week:
            break
        week = _press(page, screen, "ArrowLeft", seen)
        time.sleep(1.0)
        week = screen.text()
    assert EMPTY_WEEK not in week, week
    page.screenshot(path=str(SCREENSHOT))
    for key in ("Home", "Escape", "F2", "ArrowDown", "ArrowDown", "Enter",
                "F4", "Escape", "Escape", "Escape", "F1", "Escape", "Control+p", "Escape"):
        _press(page, screen, key, seen)
    assert stranger and stranger_name
    assert not [shown for shown in seen if stranger in shown], f"{stranger} was shown"


def test_staff_are_refused_in_the_browser(web: WebServer, browser: Any, demo_db: DemoDb) -> None:
    teacher = demo_db.account("преподаватель")
    page, screen = open_journal(browser, web.url + "/")
    log_in(page, screen, teacher.login, teacher.password)
    refused = screen.wait_for("Вход через браузер закрыт", 60)
    assert "родитель" in refused and "обучающийся" in refused
    time.sleep(1.0)
    page.keyboard.press("Enter")   # closes the message: the login screen again, nobody logged in
    again = screen.wait_for("Войти", 30)
    assert "Сменить пользователя" not in again


TEACHER_OF = "SELECT l.id, coalesce(l.taught_by, t.teacher_id) FROM journal.lesson l " \
             "JOIN journal.teaching_load t ON t.id = l.load_id WHERE l.id = ANY(%s)"


def _lesson_of_a_demo_teacher(demo_db: DemoDb) -> tuple[Any, int, int, int]:
    """The demo teacher (or curator, who teaches too) of a lesson of the demo parent's first
    child in the latest week with lessons: (their account, lesson id, weeks back from this
    week, the lesson's row in the week's table)."""
    parent = demo_db.log_in("родитель")
    child = children(parent)[0]
    teachers = [demo_db.account("преподаватель"), demo_db.account("куратор")]
    with demo_db.connect() as conn:
        people = {conn.execute("SELECT person_id FROM journal.account WHERE login = %s",
                               (a.login,)).fetchone()[0]: a for a in teachers}
        for back in range(9):
            week = read_week(parent, child.student_id, monday_of(clock.today()) - timedelta(weeks=back))
            taught = dict(conn.execute(TEACHER_OF, ([x.lesson_id for x in week.lessons],)).fetchall())
            for row, lesson in enumerate(week.lessons):
                if taught[lesson.lesson_id] in people:
                    parent.close()
                    return people[taught[lesson.lesson_id]], lesson.lesson_id, back, row
    raise AssertionError("no lesson of the demo teacher or curator in the child's last 9 weeks")


def test_parent_downloads_a_homework_file_in_the_browser(web: WebServer, browser: Any,
                                                         demo_db: DemoDb, tmp_path: Path) -> None:
    """The teacher attaches a PDF to a lesson; the parent opens the week in the browser, Enter
    on the lesson, Enter on the file: the browser receives it, name and bytes intact."""
    teacher, lesson_id, back, row = _lesson_of_a_demo_teacher(demo_db)
    name = "Задание к занятию.pdf"
    content = PDF + f"% {lesson_id}\n".encode()
    session = log_in_as(demo_db.settings, teacher.login, teacher.password)
    try:
        attach_bytes(session, lesson_id, name, content)
    finally:
        session.close()
    parent = demo_db.account("родитель")
    page, screen = open_journal(browser, web.url + "/")
    downloads: list[Any] = []
    def received(download: Any) -> None:
        downloads.append(download)

    page.on("download", received)     # the page opens /download/<key> in a new tab
    page.context.on("page", lambda tab: tab.on("download", received))
    log_in(page, screen, parent.login, parent.password)
    open_week(page, screen, asked=reach_child(screen, 60), timeout_s=30)
    for _ in range(back):
        time.sleep(1.0)
        page.keyboard.press("ArrowLeft")
    screen.wait_for("(файлы)", 30)
    for _ in range(row):
        page.keyboard.press("ArrowDown")
        time.sleep(0.2)
    screen.wait_for(f"Файлы: {name}", 30)
    page.keyboard.press("Enter")
    screen.wait_for("Файлы к заданию", 30)
    screen.wait_for(name, 30)
    time.sleep(1.0)
    page.keyboard.press("Enter")
    screen.wait_for("передан браузеру", 30)
    deadline = time.monotonic() + 30
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert downloads, "the browser received no download"
    download = downloads[0]
    saved = tmp_path / "download.bin"
    download.save_as(saved)
    assert saved.read_bytes() == content
    assert download.suggested_filename == name
