"""core.scheduling: the backup's and the letter's jobs side by side, under a test root."""

from __future__ import annotations

import json
from pathlib import Path

from core.backup.config import BackupPolicy, BackupSetup
from core.backup.schedule import install_schedule as install_backup
from core.backup.schedule import remove_schedule as remove_backup
from core.backup.schedule import schedule_status as backup_status
from core.mail.config import MailPolicy, MailSetup
from core.mail.schedule import install_schedule as install_mail
from core.mail.schedule import remove_schedule as remove_mail
from core.mail.schedule import schedule_status as mail_status
from core.scheduling import ScheduleInfo
from kernel.settings import Settings

BACKUP = ["/usr/bin/ejournal", "backup", "run", "--scheduled"]
MAIL = ["/usr/bin/ejournal", "mail", "send"]
MINE = "0 * * * * echo своё"


def _setups(tmp_path: Path, weekday: str = "sat") -> tuple[BackupSetup, MailSetup]:
    settings = Settings(data_dir=str(tmp_path / "data"))
    return (BackupSetup(settings, BackupPolicy(home=str(tmp_path / "backup"), time="02:30")),
            MailSetup(settings, MailPolicy(weekday=weekday, time="10:00",
                                           home=str(tmp_path / "mail"))))


def _block(text: str, unit: str) -> list[str]:
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"# BEGIN {unit} "))
    return lines[first:lines.index(f"# END {unit}") + 1]


def test_both_jobs_share_one_crontab_and_removing_one_keeps_the_other(tmp_path: Path) -> None:
    backup, mail = _setups(tmp_path)
    root = tmp_path / "root"
    root.mkdir()
    crontab = root / "crontab"
    crontab.write_text(MINE + "\n", encoding="utf-8")
    install_backup(backup, BACKUP, root=root, kind="crontab")
    install_mail(mail, MAIL, root=root, kind="crontab")
    text = crontab.read_text("utf-8")
    backup_block = _block(text, "ejournal-backup")
    assert text.startswith(MINE + "\n") and len(_block(text, "ejournal-mail")) == 3
    assert backup_block[1].startswith("30 2 * * * /bin/sh -c ") and "backup run" in backup_block[1]
    assert _block(text, "ejournal-mail")[1].startswith("0 10 * * 6 /bin/sh -c ")

    install_backup(backup, BACKUP, root=root, kind="crontab")   # replacing one keeps the other
    text = crontab.read_text("utf-8")
    assert text.count("# BEGIN ") == 2 and len(_block(text, "ejournal-mail")) == 3

    remove_mail(mail)
    text = crontab.read_text("utf-8")
    assert "ejournal-mail" not in text and _block(text, "ejournal-backup") == backup_block
    assert backup_status(backup).installed and not mail_status(mail).installed
    remove_backup(backup)
    assert crontab.read_text("utf-8") == MINE + "\n"
    assert not backup_status(backup).installed


def test_both_jobs_as_systemd_timers_and_cron_files(tmp_path: Path) -> None:
    backup, mail = _setups(tmp_path, weekday="mon")
    root = tmp_path / "root"
    install_backup(backup, BACKUP, root=root, kind="systemd")
    install_mail(mail, MAIL, root=root, kind="cron")
    units = root / "etc/systemd/system"
    assert "OnCalendar=*-*-* 02:30:00" in (units / "ejournal-backup.timer").read_text("utf-8")
    assert "0 10 * * 1 root " in (root / "etc/cron.d/ejournal-mail").read_text("utf-8")
    assert (mail_status(mail).describe()
            == "Письма родителям: каждый понедельник в 10:00, cron (/etc/cron.d).")
    assert backup_status(backup).describe().startswith("Ежедневно в 02:30, таймер systemd; ")
    remove_mail(mail)
    assert (units / "ejournal-backup.timer").exists() and backup_status(backup).installed
    assert not (root / "etc/cron.d/ejournal-mail").exists()


def test_weekly_days_are_said_in_russian() -> None:
    said = {day: ScheduleInfo(True, "cron", "10:00", weekday=day).describe().split(" в ")[0]
            for day in ("mon", "wed", "sun")}
    assert said == {"mon": "Каждый понедельник", "wed": "Каждую среду", "sun": "Каждое воскресенье"}


def test_a_letter_schedule_saved_before_the_shared_module_is_still_read(tmp_path: Path) -> None:
    _, mail = _setups(tmp_path)
    root = tmp_path / "root"
    install_mail(mail, MAIL, root=root, kind="cron")
    state = json.loads((mail.home / "schedule.json").read_text("utf-8"))
    old = {"kind": "cron", "when": "субботу в 10:00", "files": state["files"], "root": str(root)}
    (mail.home / "schedule.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    assert mail_status(mail).describe() == ("Письма родителям: каждую субботу в 10:00, "
                                            "cron (/etc/cron.d).")
    assert not remove_mail(mail).installed and not (root / "etc/cron.d/ejournal-mail").exists()
