"""The program for every account: a virtual environment under /opt/ejournal and the command
``/usr/local/bin/ejournal`` linking to it.

The environment is built with a Python every account can run (``/usr/bin/python3`` when it is
3.11 or newer): the Python that runs the installer may live under ``/root`` (pyenv), which
other accounts cannot enter. The project is installed from its source folder (or a wheel).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.install.files import Target
from kernel.errors import EJournalError

SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


class InstallError(EJournalError):
    """A step of the install could not be done."""

    title = "Установка на сервер"


def reachable_by_all(path: Path) -> bool:
    """Every folder above ``path`` is enterable by others and the file is executable by them."""
    real = path.resolve()
    if not real.exists() or not real.stat().st_mode & 0o001:
        return False
    return all(parent.stat().st_mode & 0o001 for parent in real.parents)


def _version_ok(python: Path) -> bool:
    done = subprocess.run([str(python), "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
                          capture_output=True, text=True, timeout=30, check=False)
    return done.returncode == 0 and done.stdout.strip() == "True"


def base_python() -> Path:
    """A Python 3.11+ with ``venv`` that every account can run."""
    for candidate in (*map(Path, SYSTEM_PYTHONS), Path(sys.executable)):
        if reachable_by_all(candidate) and _version_ok(candidate):
            return candidate
    raise InstallError("Не найден Python 3.11 или новее, доступный всем учётным записям "
                       "(/usr/bin/python3): установите пакеты python3 и python3-venv.")


def source_folder() -> Path:
    """The project's source folder (with pyproject.toml) this program was installed from."""
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").exists():
        return here
    raise InstallError("Не найдена папка с исходным кодом программы (pyproject.toml): "
                       "укажите её или файл .whl параметром --from.")


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()
        raise InstallError(f"Не удалось {what}: {tail[-1] if tail else done.returncode}.")


def install_program(target: Target, source: str | None = None, *, upgrade: bool = False) -> str:
    """Create (or keep) the environment and link ``/usr/local/bin/ejournal`` to it."""
    venv = target.program_venv
    command = venv / "bin" / "ejournal"
    said = f"Программа: {command} (уже установлена)"
    if target.venv is None and (upgrade or not command.exists()):
        if not (venv / "bin" / "python").exists():
            _run([str(base_python()), "-m", "venv", str(venv)], f"создать окружение {venv}")
        spec = source or str(source_folder())
        _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--upgrade", spec],
             f"установить программу в {venv} (pip)")
        said = f"Программа установлена в {venv}"
    if not command.exists():
        raise InstallError(f"В окружении {venv} нет команды ejournal.")
    link = target.link
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        if link.is_symlink() and Path(os.readlink(link)) == command:
            return f"{said}; команда {link} уже ведёт туда"
        link.unlink()
    link.symlink_to(command)
    return f"{said}; команда {link} → {command}"


def remove_program(target: Target) -> list[str]:
    """Remove the link and the environment under /opt (a given ``--venv`` is left alone)."""
    import shutil

    said = []
    if target.link.is_symlink() or target.link.exists():
        target.link.unlink()
        said.append(f"Удалена команда {target.link}")
    if target.venv is None and target.opt.exists():
        shutil.rmtree(target.opt)
        said.append(f"Удалена программа {target.opt}")
    return said
