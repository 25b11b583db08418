"""The lesson record (F2) as a teacher uses it: reopening keeps what was typed, Esc asks first,
a failure is said beside its field and keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kernel.errors import ServerError
from tests.demo_fixture import DemoDb
from tests.tui.screens.journal.pilot import post_keys, run, wait_until
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.journal.lesson_form import LessonFormScreen
from tui.screens.journal.page import JournalScreen

OWN_TOPIC = " (защита отчётов)"


def _lesson_with_ktp_topic(demo: DemoDb, load_id: int) -> int:
    """A lesson of the page taken from the КТП whose topic the teacher has added to."""
    with demo.connect() as conn:
        lesson_id = conn.execute(
            "SELECT id FROM journal.lesson WHERE load_id = %s AND ktp_topic_id IS NOT NULL "
            "ORDER BY lesson_date DESC, pair_no LIMIT 1", (load_id,)).fetchone()[0]
        conn.execute("UPDATE journal.lesson l SET topic = k.title || %s FROM journal.ktp_topic k "
                     "WHERE l.id = %s AND k.id = l.ktp_topic_id", (OWN_TOPIC, lesson_id))
        conn.commit()
    return int(lesson_id)


async def _open_form(pilot: Pilot[None], screen: JournalScreen, lesson_id: int) -> LessonFormScreen:
    grid = screen.grid
    assert grid is not None
    grid.select_lesson(lesson_id)
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                     and pilot.app.screen.record is not None)
    await pilot.pause()
    await pilot.pause()  # the selects' Changed messages from filling the form
    form = pilot.app.screen
    assert isinstance(form, LessonFormScreen)
    return form


def test_reopened_record_keeps_the_topic_typed_over_the_ktp_title(demo_db: DemoDb) -> None:
    """Filling the form must not replace the saved topic by the КТП title (nor save that)."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        form = await _open_form(pilot, screen, lesson_id)
        assert form.query_one("#topic", Input).value.endswith(OWN_TOPIC)
        assert not form.edited
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        with demo_db.connect() as conn:
            topic = conn.execute("SELECT topic FROM journal.lesson WHERE id = %s",
                                 (lesson_id,)).fetchone()[0]
        assert topic.endswith(OWN_TOPIC)

    run(demo_db, scenario)


def test_escape_asks_before_dropping_typed_homework(demo_db: DemoDb) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        form = await _open_form(pilot, screen, lesson_id)
        form.query_one("#homework", Input).value = "Подготовить отчёт к защите"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")  # «Вернуться»: the form and the typed text stay
        await pilot.pause()
        assert pilot.app.screen is form
        assert form.query_one("#homework", Input).value == "Подготовить отчёт к защите"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await wait_until(pilot, lambda: pilot.app.screen is screen)

        untouched = await _open_form(pilot, screen, lesson_id)
        assert untouched.edited is False
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: pilot.app.screen is screen)

    run(demo_db, scenario)


# --- issue 9, item 10: a failed save or load is said in Russian, and nothing typed is lost ---


def _lesson_row(demo: DemoDb, lesson_id: int) -> tuple[Any, ...]:
    with demo.connect() as conn:
        return tuple(conn.execute(
            "SELECT lesson_date, pair_no, topic, homework FROM journal.lesson WHERE id = %s",
            (lesson_id,)).fetchone())


def _text(form: LessonFormScreen, selector: str) -> str:
    widget = form.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def _save_and_wait(pilot: Pilot[None], form: LessonFormScreen) -> None:
    """Ctrl+S, then wait until the save ended one way or the other."""
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: pilot.app.screen is not form
                     or "Не сохранено" in _text(form, "#lesson-status"))
    await pilot.pause()


def _server_down(demo: DemoDb, session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The person's connection is dropped and the server refuses new ones (as when stopped)."""
    def refused(**_kwargs: Any) -> Any:
        raise ServerError("Сервер базы данных недоступен. Проверьте, что он запущен, и повторите.")

    monkeypatch.setattr(session.credentials, "connect", refused)
    with demo.connect() as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (session.conn.info.backend_pid,))


def test_overlong_topic_is_counted_while_typing_and_refused_beside_the_field(demo_db: DemoDb) -> None:
    """A 5,000-character topic: the counter turns red at once, Ctrl+S says why beside the topic
    (not «Сохранение…» forever), the form keeps it, and Esc still asks."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        before = _lesson_row(demo_db, lesson_id)
        form = await _open_form(pilot, screen, lesson_id)
        assert _text(form, "#topic-count") == f"{len(before[2])}/500"
        long_topic = "Очень длинная тема " * 263 + "ещё"
        assert len(long_topic) == 5000
        form.query_one("#topic", Input).value = long_topic
        await pilot.pause()
        assert _text(form, "#topic-count") == "5000/500"
        assert form.query_one("#topic-count").has_class("over")
        assert "длиннее допустимого на 4500 знаков" in _text(form, "#error-topic")

        await _save_and_wait(pilot, form)
        assert pilot.app.screen is form
        assert "Не сохранено" in _text(form, "#lesson-status")
        assert "не более 500" in _text(form, "#error-topic")
        assert form.query_one("#topic", Input).value == long_topic
        assert _lesson_row(demo_db, lesson_id) == before

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")  # «Вернуться»
        await pilot.pause()
        assert pilot.app.screen is form and form.query_one("#topic", Input).value == long_topic

        form.query_one("#topic", Input).value = long_topic[:500]
        await pilot.pause()
        assert _text(form, "#error-topic") == "" and not form.query_one("#topic-count").has_class("over")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        assert _lesson_row(demo_db, lesson_id)[2] == long_topic[:500].strip()

    run(demo_db, scenario)


def test_make_up_lesson_on_a_taken_date_and_pair_names_the_lesson_there(demo_db: DemoDb) -> None:
    """F6 on a date and пара the page already has: said in Russian beside the date, naming
    that lesson (the duplicate key was only in the server log); the typed lesson stays."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        taken = _lesson_with_ktp_topic(demo_db, screen.load_id)
        day, pair, topic, _homework = _lesson_row(demo_db, taken)
        with demo_db.connect() as conn:
            count = conn.execute("SELECT count(*) FROM journal.lesson WHERE load_id = %s",
                                 (screen.load_id,)).fetchone()[0]
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                         and pilot.app.screen.record is not None)
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, LessonFormScreen)
        form.query_one("#lesson_date", Input).value = f"{day:%d.%m.%Y}"
        form.query_one("#pair_no", Input).value = str(pair)
        form.query_one("#homework", Input).value = "Подготовиться к отработке"

        await _save_and_wait(pilot, form)
        assert pilot.app.screen is form
        said = _text(form, "#error-when")
        assert f"{day:%d.%m.%Y}, {pair} пара уже есть на этой странице журнала" in said
        assert topic[:40] in said and "Выберите другую дату или пару" in said
        assert form.query_one("#pair_no").has_class("field-invalid")
        assert form.query_one("#homework", Input).value == "Подготовиться к отработке"
        with demo_db.connect() as conn:
            assert conn.execute("SELECT count(*) FROM journal.lesson WHERE load_id = %s",
                                (screen.load_id,)).fetchone()[0] == count

        form.query_one("#pair_no", Input).value = "8"  # a free пара: the error line goes
        await pilot.pause()
        assert _text(form, "#error-when") == ""

    run(demo_db, scenario)


def test_date_outside_the_period_is_refused_beside_the_date(demo_db: DemoDb) -> None:
    """The database's own refusal (a trigger) comes through translate() to its field."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        before = _lesson_row(demo_db, lesson_id)
        form = await _open_form(pilot, screen, lesson_id)
        form.query_one("#lesson_date", Input).value = "01.01.2001"
        await _save_and_wait(pilot, form)
        assert pilot.app.screen is form
        assert "Дата занятия 01.01.2001 вне периода" in _text(form, "#error-when")
        form.query_one("#lesson_date", Input).value = "31.02.2026"
        await _save_and_wait(pilot, form)
        assert "Дата — в виде ДД.ММ.ГГГГ" in _text(form, "#error-when")
        assert _lesson_row(demo_db, lesson_id) == before

    run(demo_db, scenario)


def test_record_not_read_with_the_server_down_is_a_message_not_an_empty_form(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        connect = screen.session.credentials.connect
        _server_down(demo_db, screen.session, monkeypatch)
        grid = screen.grid
        assert grid is not None
        grid.select_lesson(lesson_id)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonFormScreen)
                         and "Нет связи с сервером базы данных" in " ".join(
                             str(w.render()) for w in pilot.app.screen.query(Static)))
        form = pilot.app.screen
        assert isinstance(form, LessonFormScreen)
        assert "Запись занятия не загружена" in _text(form, "#lesson-loading")
        assert not form.query_one("#lesson-fields").display  # no empty fields to type into
        assert form.query_one("#retry").display

        monkeypatch.setattr(screen.session.credentials, "connect", connect)  # server is back
        await pilot.press("f5")
        await wait_until(pilot, lambda: form.record is not None)
        await pilot.pause()
        assert form.query_one("#topic", Input).value.endswith(OWN_TOPIC)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: pilot.app.screen is screen)

    run(demo_db, scenario)


def test_save_with_the_server_down_keeps_the_form_and_succeeds_later(
        demo_db: DemoDb, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        lesson_id = _lesson_with_ktp_topic(demo_db, screen.load_id)
        form = await _open_form(pilot, screen, lesson_id)
        form.query_one("#homework", Input).value = "Повторить конспект"
        connect = screen.session.credentials.connect
        _server_down(demo_db, screen.session, monkeypatch)

        await _save_and_wait(pilot, form)
        assert pilot.app.screen is form
        assert "нет связи с сервером базы данных" in _text(form, "#lesson-status")
        assert "Введённое осталось в форме" in _text(form, "#lesson-status")
        assert form.query_one("#homework", Input).value == "Повторить конспект"

        monkeypatch.setattr(screen.session.credentials, "connect", connect)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        assert _lesson_row(demo_db, lesson_id)[3] == "Повторить конспект"

    run(demo_db, scenario)


def test_fields_typed_ahead_across_tab_land_each_in_its_own_field(demo_db: DemoDb) -> None:
    """The homework, Tab, the pages, Tab, the tasks in one burst (a fast typist over a slow SSH
    link): each text lands in its own field, none after the text of the first."""
    async def scenario(pilot: Pilot[None], screen: JournalScreen) -> None:
        form = await _open_form(pilot, screen, _lesson_with_ktp_topic(demo_db, screen.load_id))
        fields = [form.query_one(f"#{name}", Input)
                  for name in ("homework", "homework_pages", "homework_tasks")]
        for field in fields:
            field.value = ""
        form.set_focus(fields[0])
        await pilot.pause()
        post_keys(pilot.app, [*"Читать", "tab", *"12-15", "tab", *"3"])
        await wait_until(pilot, lambda: sum(len(f.value) for f in fields) == 12)
        assert [f.value for f in fields] == ["Читать", "12-15", "3"]

    run(demo_db, scenario)
