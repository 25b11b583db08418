"""The database has the last word: closed statements, who reads and writes which threads."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from core.messages.service import list_threads, read_thread, recipients, reply, start_thread, unread_count
from core.statements.closing import (
    close_statement,
    create_statement,
    needs_reason,
    reopen_statement,
    save_marks,
)
from core.statements.service import attestable_loads, list_statements, read_statement
from core.statements.sheet import MarkChange
from kernel.errors import EJournalError, ValidationError
from kernel.marks import StatementValue
from tests.core.family.conftest import Family, raw


def _filled_statement(teacher: Any) -> int:
    """A new statement of one of the teacher's loads with every student marked."""
    load = next(x for x in attestable_loads(teacher) if x.is_mine)
    statement_id = create_statement(teacher, load.load_id, load.form, None, teacher.person.person_id)
    sheet = read_statement(teacher, statement_id)
    value = StatementValue.PASS if load.form == "зачёт" else StatementValue.FOUR
    outcomes = save_marks(teacher, statement_id, [MarkChange(x.student_id, None, value) for x in sheet.lines
                                                          if not x.away])
    assert sheet.lines and all(o.applied for o in outcomes)
    return statement_id


def test_closed_statement_refuses_the_teachers_raw_sql(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    statement_id = _filled_statement(teacher)
    close_statement(teacher, read_statement(teacher, statement_id))
    sheet = read_statement(teacher, statement_id)
    assert sheet.info.closed and not sheet.editable and sheet.info.closed_by
    with raw(demo_db, teacher.person.login) as conn:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("UPDATE journal.statement_mark SET value = '2' WHERE statement_id = %s",
                         (statement_id,))
        assert "закрыта" in str(refused.value)
        with pytest.raises(psycopg.Error):
            conn.execute("UPDATE journal.statement SET closed_at = NULL WHERE id = %s", (statement_id,))
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT journal.reopen_statement(%s, 'хочу исправить')", (statement_id,))
        values = {r[0] for r in conn.execute(
            "SELECT value FROM journal.statement_mark WHERE statement_id = %s", (statement_id,))}
    assert "2" not in values
    with pytest.raises(EJournalError):
        save_marks(teacher, statement_id, [MarkChange(sheet.lines[0].student_id, sheet.lines[0].value,
                                                      StatementValue.TWO)])


def test_only_the_admin_reopens_with_a_reason_kept(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    statement_id = _filled_statement(teacher)
    close_statement(teacher, read_statement(teacher, statement_id))
    office = demo_db.log_in("работник учебной части")
    with pytest.raises(EJournalError):
        reopen_statement(office, statement_id, "ошибка в отметке")
    admin = demo_db.log_in("заведующий учебной частью")
    with pytest.raises(ValidationError):
        reopen_statement(admin, statement_id, " ")
    reopen_statement(admin, statement_id, "ошибка в отметке Иванова")
    sheet = read_statement(admin, statement_id)
    assert not sheet.info.closed
    assert [reason for _at, _who, reason in sheet.history] == ["ошибка в отметке Иванова"]


def test_closing_needs_every_student_marked(demo_db: Any) -> None:
    teacher = demo_db.log_in("преподаватель")
    load = next(x for x in attestable_loads(teacher) if x.is_mine)
    statement_id = create_statement(teacher, load.load_id, load.form, None, None)
    with pytest.raises(ValidationError):
        close_statement(teacher, read_statement(teacher, statement_id))
    with pytest.raises(ValidationError):
        create_statement(teacher, load.load_id, load.form, None, None)


def _curator_writes_to_parent(demo_db: Any) -> tuple[Any, Any, int]:
    curator, parent = demo_db.log_in("куратор"), demo_db.log_in("родитель")
    target = next(r for r in recipients(curator) if r.person_id == parent.person.person_id)
    thread_id = start_thread(curator, "Пропуски", "Добрый день! Прошу зайти.", [target.person_id],
                             target.student_id)
    return curator, parent, thread_id


def test_curator_and_parent_correspond_with_read_receipts(demo_db: Any) -> None:
    curator, parent, thread_id = _curator_writes_to_parent(demo_db)
    assert unread_count(parent) == 1
    assert [t.unread for t in list_threads(parent) if t.thread_id == thread_id] == [1]
    assert not read_thread(curator, thread_id).messages[0].read_by_other
    read_thread(parent, thread_id)
    assert unread_count(parent) == 0
    assert read_thread(curator, thread_id).messages[0].read_by_other
    reply(parent, thread_id, "Здравствуйте, зайду в среду.")
    assert unread_count(curator) == 1
    texts = [m.body for m in read_thread(curator, thread_id).messages]
    assert texts == ["Добрый день! Прошу зайти.", "Здравствуйте, зайду в среду."]


def test_another_family_and_the_student_do_not_read_the_thread(demo_db: Any, other_family: Family) -> None:
    _curator, _parent, thread_id = _curator_writes_to_parent(demo_db)
    student = demo_db.log_in("обучающийся")
    for session in (other_family.session, student):
        assert thread_id not in [t.thread_id for t in list_threads(session)]
        with pytest.raises(EJournalError):
            read_thread(session, thread_id)
        with raw(demo_db, session.person.login) as conn:
            assert conn.execute("SELECT count(*) FROM journal.message WHERE thread_id = %s",
                                (thread_id,)).fetchone() == (0,)
            with pytest.raises(psycopg.Error):
                conn.execute("INSERT INTO journal.message (thread_id, author_id, body) VALUES (%s, %s, 'x')",
                             (thread_id, session.person.person_id))


def test_a_parent_writes_only_to_the_staff_of_the_childrens_groups(demo_db: Any,
                                                                   other_family: Family) -> None:
    parent = demo_db.log_in("родитель")
    offered = recipients(parent)
    assert offered and any("куратор" in r.note for r in offered)
    curator = next(r for r in offered if "куратор" in r.note)
    start_thread(parent, "Вопрос", "Когда собрание?", [curator.person_id], curator.student_id)
    staff = {r.person_id for r in offered}
    with demo_db.connect() as conn:
        stranger = conn.execute(
            """SELECT r.person_id FROM journal.person_role r WHERE r.role = 'teacher'
                AND NOT r.person_id = ANY(%s) ORDER BY r.person_id LIMIT 1""", (list(staff),)).fetchone()[0]
        other_parent = conn.execute("SELECT person_id FROM journal.account WHERE login = %s",
                                    (other_family.session.person.login,)).fetchone()[0]
    for outsider in (stranger, other_parent):
        with pytest.raises(EJournalError):
            start_thread(parent, "Вопрос", "Текст", [outsider], curator.student_id)
    with pytest.raises(EJournalError):   # a thread about another family's child
        start_thread(parent, "Вопрос", "Текст", [curator.person_id], other_family.children[0])


def test_an_old_statement_mark_changes_only_with_a_reason(demo_db: Any) -> None:
    admin = demo_db.log_in("заведующий учебной частью")
    info = next(s for s in list_statements(admin) if s.closed)
    reopen_statement(admin, info.statement_id, "пересдача по заявлению")
    line = next(x for x in read_statement(admin, info.statement_id).lines if x.value is not None)
    with demo_db.connect() as conn:   # the mark has stood for ten days
        conn.execute("ALTER TABLE journal.statement_mark DISABLE TRIGGER statement_mark_stamp")
        conn.execute("UPDATE journal.statement_mark SET changed_at = now() - interval '10 days' "
                     "WHERE statement_id = %s", (info.statement_id,))
        conn.execute("ALTER TABLE journal.statement_mark ENABLE TRIGGER statement_mark_stamp")
    new = StatementValue.TWO if line.value is not StatementValue.TWO else StatementValue.THREE
    change = MarkChange(line.student_id, line.value, new)
    with pytest.raises(EJournalError) as refused:
        save_marks(admin, info.statement_id, [change])
    assert needs_reason(refused.value)
    outcomes = save_marks(admin, info.statement_id, [change], "ошибка при переносе")
    assert [o.applied for o in outcomes] == [True]
    with demo_db.connect() as conn:
        reasons = [r[0] for r in conn.execute(
            "SELECT reason FROM journal.change_log WHERE table_name = 'statement_mark' "
            "AND row_key ->> 'student_id' = %s ORDER BY id", (str(line.student_id),))]
    assert reasons[-1] == "ошибка при переносе"


def test_homework_reads_without_doubled_signs(demo_db: Any) -> None:
    from datetime import date

    from core.family.service import children, default_period, periods, read_view

    parent = demo_db.log_in("родитель")
    child = children(parent)[0]
    period = default_period(periods(parent, child.student_id), date.today())
    assert period is not None
    texts = [h.text for h in read_view(parent, child, period).homework]
    assert any("стр. " in t for t in texts)
    assert not [t for t in texts if "стр. с." in t or "№ №" in t]
