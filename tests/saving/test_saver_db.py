"""The saver against a real database: each reproduction of issue 9 that lost typed marks.

The saver runs on the test's thread (:meth:`Saver.send_once`), so every step is exact.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.journal.cell_save import save_changes
from core.journal.outbox import Outbox
from core.journal.page import Change
from core.journal.saver import Saver
from core.session import log_in_again
from kernel.marks import MarkValue
from kernel.passwords import derive_password
from tests.demo_fixture import DemoDb, teacher_load
from tests.saving.cells import KIND, free_cells

NEW_PASSWORD = "Новый-пароль-2026"


def saver_for(session: Any, folder: Path) -> Saver:
    return Saver(session.new_connection, Outbox.open(session.person.login, session.database_id, folder))


def mark_in_db(demo: DemoDb, cell: tuple[int, int], kind: str = KIND) -> str | None:
    with demo.connect() as conn:
        row = conn.execute("SELECT value FROM journal.mark WHERE student_id = %s AND lesson_id = %s"
                           " AND work_kind = %s", (*cell, kind)).fetchone()
    return row[0] if row else None


def history(demo: DemoDb, cell: tuple[int, int]) -> list[tuple[Any, ...]]:
    with demo.connect() as conn:
        return conn.execute(
            "SELECT action, new_value->>'value', reason, typed_at, changed_at FROM journal.change_log"
            " WHERE table_name = 'mark' AND student_id = %s"
            " AND coalesce(new_value, old_value)->>'lesson_id' = %s::text"
            " AND coalesce(new_value, old_value)->>'work_kind' = %s ORDER BY id",
            (cell[0], cell[1], KIND)).fetchall()


def make_old(demo: DemoDb, cell: tuple[int, int], value: str, days: int = 30) -> None:
    """A mark that has stood for ``days`` days (its correction needs a reason, R14)."""
    with demo.connect() as conn:
        conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)"
                     " SELECT l.id, l.load_id, %s, %s, %s FROM journal.lesson l WHERE l.id = %s",
                     (cell[0], KIND, value, cell[1]))
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE journal.mark SET changed_at = now() - make_interval(days => %s)"
                     " WHERE student_id = %s AND lesson_id = %s AND work_kind = %s",
                     (days, cell[0], cell[1], KIND))


def mark(cell: tuple[int, int], old: str | None, new: str | None) -> Change:
    return Change(cell[0], cell[1], KIND, old and MarkValue(old), new and MarkValue(new))


def test_two_edits_of_one_cell_in_one_batch_keep_the_last(demo_db: DemoDb, tmp_path: Path) -> None:
    """Reproduction 1: 5 then 4 (and 3 then undo) while offline: the database holds 4 (and
    nothing), one history row; the headless call collapses the same way."""
    session, load_id = teacher_load(demo_db)
    a, b, c = free_cells(demo_db, load_id, 3)
    saver = saver_for(session, tmp_path)
    saver.submit(load_id, [mark(a, None, "5")])
    saver.submit(load_id, [mark(b, None, "3")])
    saver.submit(load_id, [mark(a, "5", "4")])
    saver.submit(load_id, [Change(b[0], b[1], KIND, MarkValue.THREE, None, is_undo=True)])
    saver.send_once()
    assert (mark_in_db(demo_db, a), mark_in_db(demo_db, b)) == ("4", None)
    assert [h[:2] for h in history(demo_db, a)] == [("INSERT", "4")] and history(demo_db, b) == []
    assert not saver.has_pending()
    with session.cursor() as cur:
        results = save_changes(cur.connection, [mark(c, None, "5"), mark(c, "5", "4")])
    assert [r.status for r in results] == ["applied"] and mark_in_db(demo_db, c) == "4"


def test_a_refused_cell_is_held_with_its_reason_and_the_rest_is_saved(demo_db: DemoDb,
                                                                       tmp_path: Path) -> None:
    """Reproduction 2: a correction that needs a reason and a lesson that is gone are held,
    each with its reason; the new marks of the same batch are saved; the reason given later
    goes into the history."""
    session, load_id = teacher_load(demo_db)
    cells = free_cells(demo_db, load_id, 100)
    new, old = cells[:2]
    gone = next(c for c in cells if c[1] != new[1])
    make_old(demo_db, old, "3")
    with demo_db.connect() as conn:
        conn.execute("DELETE FROM journal.lesson WHERE id = %s", (gone[1],))
    saver = saver_for(session, tmp_path)
    saver.submit(load_id, [mark(new, None, "5"), mark(old, "3", "4"), mark(gone, None, "2")])
    saver.send_once()
    assert mark_in_db(demo_db, new) == "5" and mark_in_db(demo_db, old) == "3"
    held = {e.change.student_id: e.parked for e in saver.edits() if e.change.lesson_id != new[1]
            or e.change.student_id != new[0]}
    states = sorted(p.state for p in held.values() if p is not None)
    assert states == ["reason", "refused"]
    refused = next(e for e in saver.edits() if e.parked and e.parked.state == "refused")
    assert "Занятие не найдено" in refused.parked.why  # type: ignore[union-attr]
    reason_edit = next(e for e in saver.edits() if e.parked and e.parked.state == "reason")
    assert "причин" in reason_edit.parked.why  # type: ignore[union-attr]
    saver.give_reason([reason_edit], "ошибка при вводе")
    saver.send_once()
    assert mark_in_db(demo_db, old) == "4"
    assert history(demo_db, old)[-1][2] == "ошибка при вводе"


def _alter_role(demo: DemoDb, login: str, what: str) -> None:
    """ALTER ROLE as the superuser (roles are the cluster's: tests put them back), then end
    the person's sessions, as the administrator's reset or block does."""
    with demo.connect() as conn:
        conn.execute(f'ALTER ROLE "{login}" {what}')
        if "PASSWORD" in what:   # set by hand: the journal accepts it (else the login is refused)
            conn.execute("SELECT journal.accept_password(%s)", (login,))
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                     (login,))


@pytest.fixture
def restore_role(demo_db: DemoDb) -> Any:
    """Put the demo teacher's role back as it was (password, LOGIN) after the test."""
    session = demo_db.log_in("преподаватель")
    login, derived = session.person.login, session.credentials.derived_password
    session.close()
    yield
    _alter_role(demo_db, login, f"LOGIN PASSWORD '{derived}'")


def _reset_password(demo: DemoDb, session: Any) -> None:
    derived = derive_password(session.person.login, NEW_PASSWORD,
                              installation_salt=session.settings.auth_salt)
    _alter_role(demo, session.person.login, f"PASSWORD '{derived}'")


@pytest.mark.usefixtures("restore_role")
def test_a_password_reset_keeps_the_outbox_until_the_person_logs_in_again(demo_db: DemoDb,
                                                                          tmp_path: Path) -> None:
    """Reproduction 2 (re-login): nothing is dropped; sending stops and asks for the password."""
    session, load_id = teacher_load(demo_db)
    (cell,) = free_cells(demo_db, load_id, 1)
    saver = saver_for(session, tmp_path)
    _reset_password(demo_db, session)
    saver.submit(load_id, [mark(cell, None, "5")])
    saver.send_once()
    assert saver.login_needed is not None and "пароль" in saver.login_needed.message
    assert saver.has_pending() and mark_in_db(demo_db, cell) is None
    saver.send_once()  # asking again changes nothing until the person logs in
    assert saver.has_pending()
    session._saver = saver  # the session's own saver goes on after the new login
    log_in_again(session, NEW_PASSWORD)
    saver.send_once()
    assert mark_in_db(demo_db, cell) == "5" and not saver.has_pending()


@pytest.mark.usefixtures("restore_role")
def test_a_blocked_account_is_told_so_and_its_changes_stay_on_disk(demo_db: DemoDb,
                                                                  tmp_path: Path) -> None:
    session, load_id = teacher_load(demo_db)
    (cell,) = free_cells(demo_db, load_id, 1)
    saver = saver_for(session, tmp_path)
    _alter_role(demo_db, session.person.login, "NOLOGIN")
    saver.submit(load_id, [mark(cell, None, "4")])
    saver.send_once()
    assert saver.login_needed is not None and "заблокирована" in saver.login_needed.message
    saver.outbox.close()
    assert len(Outbox.open(session.person.login, session.database_id, tmp_path).pending()) == 1


def test_a_terminated_backend_is_reconnected_and_the_batch_resent(demo_db: DemoDb,
                                                                 tmp_path: Path) -> None:
    session, load_id = teacher_load(demo_db)
    first, second = free_cells(demo_db, load_id, 2)
    saver = saver_for(session, tmp_path)
    saver.submit(load_id, [mark(first, None, "5")])
    saver.send_once()
    with demo_db.connect() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                     (session.person.login,))
    saver.submit(load_id, [mark(second, None, "4")])
    saver.send_once()  # the dead connection: kept, offline
    assert saver.has_pending() and not saver.online
    saver.send_once()
    assert (mark_in_db(demo_db, first), mark_in_db(demo_db, second)) == ("5", "4")
    assert saver.online and not saver.has_pending()


def test_a_conflict_shows_what_the_database_holds_now(demo_db: DemoDb, tmp_path: Path) -> None:
    """Reproduction 9: the value found is re-read, never a stale one; a value already there
    is no conflict."""
    session, load_id = teacher_load(demo_db)
    cell, same = free_cells(demo_db, load_id, 2)
    with demo_db.connect() as conn:
        for c, value in ((cell, "2"), (same, "5")):
            conn.execute("INSERT INTO journal.mark (lesson_id, load_id, student_id, work_kind, value)"
                         " VALUES (%s, %s, %s, %s, %s)", (c[1], load_id, c[0], KIND, value))
    saver = saver_for(session, tmp_path)
    saver.submit(load_id, [mark(cell, "4", "3"), mark(same, None, "5")])
    saver.send_once()
    (edit,) = saver.edits()
    assert edit.parked is not None and (edit.parked.state, edit.parked.found) == ("conflict", "2")
    saver.keep_mine([edit])
    saver.send_once()
    assert mark_in_db(demo_db, cell) == "3" and not saver.has_pending()


def test_changes_for_another_database_are_never_sent(demo_db: DemoDb, tmp_path: Path) -> None:
    """Reproduction 9 (a database rebuilt under an open page): nothing is written, the file
    stays, the person is told where."""
    session, load_id = teacher_load(demo_db)
    (cell,) = free_cells(demo_db, load_id, 1)
    saver = Saver(session.new_connection, Outbox.open(session.person.login, "rebuilt-db", tmp_path))
    saver.submit(load_id, [mark(cell, None, "5")])
    saver.send_once()
    assert saver.other_database and "другой базе" in saver.problem and str(tmp_path) in saver.problem
    assert mark_in_db(demo_db, cell) is None and saver.has_pending()


def test_the_typed_time_is_kept_beside_the_server_time(demo_db: DemoDb, tmp_path: Path) -> None:
    """Reproduction 7: a change sent after an outage keeps the time it was typed."""
    session, load_id = teacher_load(demo_db)
    cell, cleared = free_cells(demo_db, load_id, 2)
    saver = saver_for(session, tmp_path)
    typed = datetime.now(UTC) - timedelta(hours=2)
    saver.outbox.add(load_id, [mark(cell, None, "5"), mark(cleared, None, "4")], typed_at=typed)
    saver.send_once()
    saver.outbox.add(load_id, [mark(cleared, "4", None)], typed_at=typed + timedelta(minutes=5))
    saver.send_once()
    (row,) = history(demo_db, cell)
    assert row[3] == typed and row[4] > typed + timedelta(hours=1)
    assert [h[3] for h in history(demo_db, cleared)] == [typed, typed + timedelta(minutes=5)]


def test_concurrent_writers_on_the_same_cells_lose_no_batch(demo_db: DemoDb, tmp_path: Path) -> None:
    """Reproduction 2 (deadlocks): a teacher and the office type into the same 20 cells at
    once; deadlocks are retried, every edit ends applied or as a conflict, and the history
    has exactly one row per row written."""
    teacher, load_id = teacher_load(demo_db)
    office = demo_db.log_in("учебной части")
    cells = free_cells(demo_db, load_id, 20)
    savers = [saver_for(teacher, tmp_path / "t"), saver_for(office, tmp_path / "o")]
    written = [0, 0]
    errors: list[BaseException] = []

    def type_batches(n: int) -> None:
        rng = random.Random(n)
        saver = savers[n]
        seen: dict[tuple[int, int], str | None] = {}
        saver.subscribe(lambda report: written.__setitem__(n, written[n] + sum(
            r.written for r in report.results)))
        try:
            for _ in range(40):
                batch = rng.sample(cells, 10)
                changes = []
                for c in batch:
                    new = rng.choice("2345")
                    changes.append(mark(c, seen.get(c), new))
                    seen[c] = new
                saver.submit(load_id, changes)
                saver.send_once()
                for edit in saver.edits():  # conflicts: take the database's value and go on
                    if edit.parked is not None:
                        seen[(edit.change.student_id, edit.change.lesson_id)] = edit.parked.found
                        saver.drop([edit])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=type_batches, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert all(not s.has_pending() for s in savers)
    rows = sum(len(history(demo_db, c)) for c in cells)
    assert rows == sum(written)


def test_the_attendance_day_and_the_page_share_one_outbox_keyed_by_database(demo_db: DemoDb) -> None:
    """Reproduction 8: one saver per program, its file named by the database's identity."""
    session = demo_db.log_in("куратор")
    saver = session.saver()
    try:
        assert saver.outbox.path is not None
        key = "".join(ch for ch in session.database_id if ch.isalnum())[:48]
        assert key and key in saver.outbox.path.name
        assert session.saver() is saver
    finally:
        session.close()


def test_statement_marks_go_through_the_same_outbox_and_saver(demo_db: DemoDb, tmp_path: Path) -> None:
    """One pipeline for the page, the day and statements: a statement's mark is kept in the
    outbox across a killed program and arrives with its typed time."""
    from core.statements.closing import create_statement
    from core.statements.service import attestable_loads, read_statement
    from kernel.marks import StatementValue

    teacher = demo_db.log_in("преподаватель")
    load = next(x for x in attestable_loads(teacher) if x.is_mine)
    statement_id = create_statement(teacher, load.load_id, load.form, None, teacher.person.person_id)
    line = read_statement(teacher, statement_id).lines[0]
    value = StatementValue.PASS if load.form == "зачёт" else StatementValue.FOUR
    typed = datetime.now(UTC) - timedelta(minutes=30)
    box = Outbox.open(teacher.person.login, teacher.database_id, tmp_path)
    box.add(load.load_id, [Change(line.student_id, 0, None, None, value, statement_id=statement_id)],
            typed_at=typed)
    assert box._handle is not None
    box._handle.close()  # killed
    saver = saver_for(teacher, tmp_path)
    assert [e.change.statement_id for e in saver.edits(statement=statement_id)] == [statement_id]
    saver.send_once()
    assert not saver.has_pending()
    with demo_db.connect() as conn:
        stored = conn.execute("SELECT sm.value, h.typed_at FROM journal.statement_mark sm"
                              " JOIN journal.change_log h ON h.table_name = 'statement_mark'"
                              " AND h.row_key ->> 'student_id' = sm.student_id::text"
                              " AND h.row_key ->> 'statement_id' = sm.statement_id::text"
                              " WHERE sm.statement_id = %s", (statement_id,)).fetchall()
    assert stored == [(value.value, typed)]
