"""The steps of ``ejournal server install`` and ``uninstall``, each idempotent.

1. the program for all accounts (:mod:`core.install.program`);
2. the system-wide settings file ``/etc/ejournal/ejournal.toml`` (kept when it exists: the
   administrator may have edited it);
3. the OS group ``ejournal`` (the accounts that open the journal over SSH);
4. the database at boot: the systemd unit ``ejournal-db.service`` where systemd runs, else an
   ``@reboot`` entry in ``/etc/cron.d/ejournal-db``;
5. the database itself: the embedded server started, the schema migrated, the backup role's
   password stored, ``ejournal db check`` run;
6. the daily backup (:mod:`core.backup.schedule`).

Under a root other than ``/`` nothing outside it is touched and no system command is run
(``systemctl``, ``groupadd``); the embedded server still starts there, on the given port.
"""

from __future__ import annotations

import contextlib
import grp
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from core.install.files import GROUP, SERVICE, Target, cron_text, settings_text, unit_text, write_public
from core.install.program import InstallError, install_program, remove_program
from kernel.settings import Settings, environment, load_settings


@contextlib.contextmanager
def target_environment(target: Target) -> Iterator[Settings]:
    """The settings of the installed system, with ``EJOURNAL_SYSTEM_CONFIG`` pointing at its
    file while the install runs (the backup schedule records it for the scheduled runs)."""
    changes: dict[str, str | None] = {
        "EJOURNAL_SYSTEM_CONFIG": str(target.config),
        "EJOURNAL_CONFIG": str(target.config),   # root's own file plays no part
        "EJOURNAL_PORT": None, "EJOURNAL_HOST": None,
        # never fall back on the machine's own /var/lib/ejournal
        "EJOURNAL_DATA_DIR": None if target.config.exists() else str(target.data_dir),
    }
    with environment(changes):
        yield load_settings()


def _system(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()
        reason = tail[-1] if tail else done.returncode
        raise InstallError(f"Команда «{' '.join(args)}» не выполнена: {reason}.")


def ensure_group(target: Target) -> str:
    """The OS group of the journal's SSH accounts."""
    try:
        grp.getgrnam(GROUP)
        return f"Группа ОС «{GROUP}» уже есть"
    except KeyError:
        pass
    if not target.real:
        return f"Группа ОС «{GROUP}»: не создаётся при установке в папку {target.root}"
    _system(["groupadd", "--system", GROUP])
    return f"Создана группа ОС «{GROUP}» (в неё включают учётные записи преподавателей)"


def install_boot(target: Target) -> tuple[str, str]:
    """The database at boot: (``systemd`` or ``cron``, a Russian line)."""
    if target.has_systemd:
        target.cron.unlink(missing_ok=True)
        changed = write_public(target.unit, unit_text(target))
        if target.real:
            _system(["systemctl", "daemon-reload"])
            _system(["systemctl", "enable", "--now", f"{SERVICE}.service"])
        state = "записана" if changed else "уже на месте"
        return "systemd", f"Запуск базы при загрузке: служба systemd {target.unit} ({state}, включена)"
    target.unit.unlink(missing_ok=True)
    write_public(target.cron, cron_text(target))
    cron_runs = shutil.which("cron") is not None or not target.real
    hint = "" if cron_runs else (
        "; cron не установлен: установите пакет cron или добавьте в /etc/rc.local строку "
        f"«{target.link} server start»")
    return "cron", (f"systemd не работает на этой машине: запуск базы при загрузке — "
                    f"запись @reboot в {target.cron}{hint}")


def install_database(settings: Settings) -> list[str]:
    """Start the embedded server, migrate the schema, store the backup role's password,
    and run ``ejournal db check``."""
    from core.backup.auth import setup_credentials
    from core.backup.config import load_setup
    from db.bootstrap import connect_admin, ensure_database
    from db.check import run_checks
    from db.server.launcher import EmbeddedServer

    state = EmbeddedServer(settings).start()
    said = [f"Сервер PostgreSQL {state.version} работает (PID {state.pid}, порт {state.port})"]
    ran = ensure_database(settings)
    said.append("Применены миграции: " + ", ".join(ran) if ran else "Схема базы уже актуальна")
    setup = load_setup(settings)
    if setup.credentials_file.exists():
        said.append(f"Пароль роли резервного копирования уже в {setup.credentials_file}")
    else:
        path, _ = setup_credentials(setup)
        said.append(f"Пароль роли резервного копирования записан в {path}")
    with connect_admin(settings) as conn:
        results = run_checks(conn)
    failed = [result for result in results if result.failed]
    if failed:
        raise InstallError("Проверка сервера (ejournal db check) не пройдена: "
                           + "; ".join(result.line() for result in failed))
    said.append(f"ejournal db check: все проверки пройдены ({len(results)})")
    return said


def install_schedule_step(target: Target, settings: Settings) -> str:
    """The daily backup, run by the installed command."""
    from core.backup.config import load_setup
    from core.backup.schedule import install_schedule

    setup = load_setup(settings)
    for folder in setup.destinations:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    info = install_schedule(setup, [str(target.link), "backup", "run", "--scheduled"],
                            root=target.root)
    return f"Резервное копирование: {info.describe()}"


def install(target: Target, *, source: str | None = None, upgrade: bool = False,
            program: bool = True) -> list[str]:
    """Every step in order; Russian lines saying what was done (or found done)."""
    said = [install_program(target, source, upgrade=upgrade)] if program else []
    if write_public(target.config, settings_text(target)) if not target.config.exists() else False:
        said.append(f"Записан файл настроек для всех учётных записей {target.config}")
    else:
        said.append(f"Файл настроек {target.config} уже есть и оставлен как был")
    target.config.parent.chmod(0o755)
    said.append(ensure_group(target))
    with target_environment(target) as settings:
        said += install_database(settings)
        kind, line = install_boot(target)
        said.append(line)
        said.append(install_schedule_step(target, settings))
    record = {"root": str(target.root), "boot": kind, "port": settings.port,
              "data_dir": settings.data_dir, "venv": str(target.program_venv),
              "own_venv": target.venv is None}
    write_public(target.record, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    return said


def uninstall(target: Target, *, purge_data: bool = False) -> list[str]:
    """Undo the install; the data folder stays unless ``purge_data``."""
    from core.backup.config import load_setup
    from core.backup.schedule import remove_schedule, schedule_status
    from db.server.launcher import EmbeddedServer

    said = []
    with target_environment(target) as settings:
        if target.unit.exists() and target.real:
            _system(["systemctl", "disable", "--now", f"{SERVICE}.service"])
        for path in (target.unit, target.cron):
            if path.exists():
                path.unlink()
                said.append(f"Удалён запуск базы при загрузке {path}")
        setup = load_setup(settings)
        if schedule_status(setup).installed:
            remove_schedule(setup)
            said.append("Расписание резервного копирования удалено")
        if Path(settings.data_dir, "pgdata").exists():
            EmbeddedServer(settings).stop()
            said.append("Сервер PostgreSQL остановлен")
    said += remove_program(target)
    for path in (target.config, target.record):
        if path.exists():
            path.unlink()
            said.append(f"Удалён файл {path}")
    if purge_data and target.data_dir.exists():
        shutil.rmtree(target.data_dir)
        said.append(f"Удалены данные {target.data_dir} (база, журналы сервера, копии в ней)")
    elif target.data_dir.exists():
        said.append(f"Данные оставлены в {target.data_dir} (удалить: --purge-data)")
    return said
