"""``ejournal mail schedule``: the weekly timer written like the backup's, under a test root."""

from __future__ import annotations

import stat
from pathlib import Path

from core.mail.config import MailPolicy, MailSetup
from core.mail.schedule import BEGIN, install_schedule, remove_schedule, schedule_status
from kernel.settings import Settings

COMMAND = ["/usr/local/bin/ejournal", "mail", "send"]


def _setup(tmp_path: Path) -> MailSetup:
    return MailSetup(Settings(data_dir=str(tmp_path / "data")),
                     MailPolicy(weekday="sat", time="10:00", home=str(tmp_path / "mail")))


def test_systemd_timer_runs_on_saturday_and_is_removed(tmp_path: Path) -> None:
    setup, root = _setup(tmp_path), tmp_path / "root"
    info = install_schedule(setup, COMMAND, root=root, kind="systemd")
    assert info.installed and info.describe() == ("Письма родителям: каждую субботу в 10:00, "
                                                  "таймер systemd.")
    timer = (root / "etc/systemd/system/ejournal-mail.timer").read_text("utf-8")
    service = (root / "etc/systemd/system/ejournal-mail.service").read_text("utf-8")
    assert "OnCalendar=Sat *-*-* 10:00:00" in timer and "Persistent=true" in timer
    assert "ExecStart=/usr/local/bin/ejournal mail send" in service
    env = setup.home / "schedule.env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600 and "EJOURNAL_DATA_DIR=" in env.read_text("utf-8")
    assert not remove_schedule(setup).installed
    assert not (root / "etc/systemd/system/ejournal-mail.timer").exists()
    assert not schedule_status(setup).installed


def test_cron_entry_and_a_personal_crontab_keep_other_lines(tmp_path: Path) -> None:
    setup, root = _setup(tmp_path), tmp_path / "root"
    install_schedule(setup, COMMAND, root=root, kind="cron")
    entry = (root / "etc/cron.d/ejournal-mail").read_text("utf-8")
    assert "0 10 * * 6 root /bin/sh -c" in entry and "mail send" in entry
    remove_schedule(setup)
    (root / "crontab").write_text("5 4 * * * echo своё\n", encoding="utf-8")
    install_schedule(setup, COMMAND, root=root, kind="crontab")
    install_schedule(setup, COMMAND, root=root, kind="crontab")   # replaced, not doubled
    text = (root / "crontab").read_text("utf-8")
    assert text.count(BEGIN) == 1 and text.startswith("5 4 * * * echo своё\n")
    assert schedule_status(setup).installed
    remove_schedule(setup)
    assert (root / "crontab").read_text("utf-8") == "5 4 * * * echo своё\n"
