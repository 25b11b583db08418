"""``ejournal mail send``: the dry run prints letters; bad SMTP settings give one Russian sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from tests.core.mail.conftest import SMTP_LOGIN, WEEK, Inbox, MailWorld, free_port, smtp_password_file

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _configure(monkeypatch: pytest.MonkeyPatch, world: MailWorld, **changes: str) -> None:
    policy = world.setup.policy
    values = {"HOST": policy.host, "PORT": str(policy.port), "STARTTLS": "false", "LOGIN": SMTP_LOGIN,
              "PASSWORD_FILE": policy.password_file, "SENDER": policy.sender, "HOME": policy.home}
    values.update(changes)
    monkeypatch.setenv("EJOURNAL_DBNAME", world.demo.dbname)
    for name, value in values.items():
        monkeypatch.setenv(f"EJOURNAL_MAIL_{name}", value)


def _logged(world: MailWorld) -> int:
    with world.demo.connect() as su:
        return int(su.execute("SELECT count(*) FROM journal.letter_log").fetchone()[0])


def _send(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["mail", "send", "--week", WEEK.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_prints_the_letters_and_sends_nothing(
        mail_world: MailWorld, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _configure(monkeypatch, mail_world)
    code = main(["mail", "send", "--week", WEEK.isoformat(), "--dry-run"])
    out, _err = capsys.readouterr()
    assert code == 0
    assert out.count("Кому: ") == 2 and "Здравствуйте, " in out and "Пропуски: НУ" in out
    assert "Писем к отправке: 2" in out
    assert smtp_server[0].envelopes == [] and _logged(mail_world) == 0


def test_sending_twice_sends_once(mail_world: MailWorld, smtp_server: tuple[Inbox, int],
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _configure(monkeypatch, mail_world)
    assert _send(capsys)[0] == 0
    code, out, _err = _send(capsys)
    assert code == 0 and "уже отправлены за эту неделю раньше: 2" in out
    assert len(smtp_server[0].envelopes) == 2


@pytest.mark.parametrize(("case", "words"), [
    ("port", "Не удалось подключиться к серверу почты"),
    ("login", "не принял логин"),
    ("open_file", "доступен другим (права 0644)"),
    ("no_file", "Не удалось прочитать файл"),
])
def test_bad_smtp_settings_give_one_russian_sentence(
        case: str, words: str, mail_world: MailWorld, smtp_server: tuple[Inbox, int],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    changes = {
        "port": {"PORT": str(free_port())},
        "login": {"LOGIN": "someone@college.test"},
        "open_file": {"PASSWORD_FILE": str(smtp_password_file(open_folder, 0o644))},
        "no_file": {"PASSWORD_FILE": str(tmp_path / "absent.pass")},
    }[case]
    _configure(monkeypatch, mail_world, **changes)
    code, _out, err = _send(capsys)
    assert code != 0
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert smtp_server[0].envelopes == [] and _logged(mail_world) == 0
