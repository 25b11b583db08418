"""F11 on the students' screen records a parent's consent to the weekly letter (issue 16.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from core.people.roster import read_roster
from tests.core.mail.conftest import SMTP_LOGIN, Inbox, smtp_password_file
from tests.curator_fixture import curator_group, run, settle
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.curator.students import StudentsScreen


def test_f11_records_the_selected_parents_consent_with_history(demo_db: Any) -> None:
    curator = demo_db.log_in("куратор")
    roster = read_roster(curator, curator_group(curator))
    student = next(s for s in roster.students if roster.parents_of(s.person_id))
    parent = roster.parents_of(student.person_id)[0]
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        screen.query_one("#students-table").move_cursor(row=roster.students.index(student))
        await pilot.press("tab")
        await settle(pilot)
        assert screen.in_parents and screen.current_parent is not None
        await pilot.press("f11")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen) and "согласие не спрашивали" in dialog.question
        dialog.dismiss(True)
        await settle(pilot)

    run(demo_db.settings, curator, screen, scenario)
    with demo_db.connect() as su:
        row = su.execute("SELECT agreed, changed_by FROM journal.letter_consent WHERE parent_id = %s",
                         (parent.person_id,)).fetchone()
        history = su.execute("SELECT reason FROM journal.change_log WHERE table_name = 'letter_consent' "
                             "AND row_key->>'parent_id' = %s", (str(parent.person_id),)).fetchall()
    assert row == (True, curator.person.login)
    assert history == [("согласие родителя на письма",)]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_f12_sends_the_groups_letters_now_once(demo_db: Any, smtp_server: tuple[Inbox, int],
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    curator = demo_db.log_in("куратор")
    roster = read_roster(curator, curator_group(curator))
    parents = {p.person_id for s in roster.students for p in roster.parents_of(s.person_id)
               if p.data.email}
    with demo_db.connect() as su:
        for parent in parents:
            su.execute("INSERT INTO journal.letter_consent (parent_id, agreed) VALUES (%s, true)", (parent,))
    for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp_server[1]), "STARTTLS": "false",
                        "LOGIN": SMTP_LOGIN, "SENDER": SMTP_LOGIN,
                        "PASSWORD_FILE": str(smtp_password_file(tmp_path))}.items():
        monkeypatch.setenv(f"EJOURNAL_MAIL_{name}", value)
    screen = StudentsScreen(curator)

    async def scenario(pilot: Pilot[None], screen: StudentsScreen) -> None:
        for _round in range(2):
            await pilot.press("f12")
            await settle(pilot)
            dialog = pilot.app.screen
            assert isinstance(dialog, ConfirmScreen)
            dialog.dismiss(True)
            await settle(pilot)
            await screen.workers.wait_for_complete()
            await settle(pilot)

    run(demo_db.settings, curator, screen, scenario)
    assert len(parents) >= 2 and len(smtp_server[0].envelopes) == len(parents)
    with demo_db.connect() as su:
        logged = su.execute("SELECT count(*), min(sent_by) FROM journal.letter_log "
                            "WHERE status = 'sent'").fetchone()
    assert logged == (len(parents), curator.person.login)
