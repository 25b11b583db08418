"""What ``ejournal server install`` writes, as text, and where (under a root folder).

Everything is placed under ``root`` (``/`` on a real server; a temporary folder in tests or
for a dry run). The files name the relocated paths, so an install under a folder works in
place: ``EJOURNAL_SYSTEM_CONFIG=<root>/etc/ejournal/ejournal.toml ejournal db check``.
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

SERVICE = "ejournal-db"
GROUP = "ejournal"
"""OS group of the accounts that open the journal over SSH (``Match Group`` of sshd)."""
DEFAULT_PORT = 54329


@dataclass(frozen=True)
class Target:
    """The installation's places under ``root``.

    Attributes:
        root: ``/`` or a throwaway folder.
        port: The embedded server's port.
        backup_dirs: The backups' destinations (absolute, before relocation under ``root``).
        venv: An existing virtual environment to link instead of creating one under /opt.
    """

    root: Path = Path("/")
    port: int = DEFAULT_PORT
    backup_dirs: tuple[str, ...] = ("/var/backups/ejournal", "/var/lib/ejournal/backups")
    venv: Path | None = None

    def at(self, path: str) -> Path:
        """``path`` (absolute) relocated under the root."""
        return self.root / path.lstrip("/")

    @property
    def real(self) -> bool:
        """True for the machine itself (root ``/``): system commands are run."""
        return self.root.resolve() == Path("/")

    @property
    def opt(self) -> Path:
        """The program's own folder."""
        return self.at("/opt/ejournal")

    @property
    def program_venv(self) -> Path:
        """The virtual environment the command links to."""
        return self.venv if self.venv is not None else self.opt / "venv"

    @property
    def link(self) -> Path:
        """``/usr/local/bin/ejournal``: on everyone's PATH."""
        return self.at("/usr/local/bin/ejournal")

    @property
    def config(self) -> Path:
        """The system-wide settings file."""
        return self.at("/etc/ejournal/ejournal.toml")

    @property
    def record(self) -> Path:
        """What the install did (read by uninstall)."""
        return self.at("/etc/ejournal/install.json")

    @property
    def data_dir(self) -> Path:
        """The embedded server's data folder."""
        return self.at("/var/lib/ejournal")

    @property
    def unit(self) -> Path:
        """The systemd unit of the database."""
        return self.at(f"/etc/systemd/system/{SERVICE}.service")

    @property
    def cron(self) -> Path:
        """The ``@reboot`` cron entry used where systemd is absent."""
        return self.at(f"/etc/cron.d/{SERVICE}")

    @property
    def has_systemd(self) -> bool:
        """systemd runs on the machine (or the root folder pretends it does)."""
        return (self.root / "run/systemd/system").is_dir()

    def environment(self) -> dict[str, str]:
        """Variables the service and the scheduled backup need: none on a real server (the
        system file is at its usual place), the relocated file's path otherwise."""
        return {} if self.real else {"EJOURNAL_SYSTEM_CONFIG": str(self.config)}


def settings_text(target: Target) -> str:
    """The system-wide ``ejournal.toml``."""
    dirs = ", ".join(json.dumps(str(target.at(d))) for d in target.backup_dirs)
    return (
        "# Settings for every OS account of this server (written by «ejournal server install»).\n"
        "# A person's own ~/.config/ejournal/ejournal.toml and EJOURNAL_* variables override\n"
        "# them key by key. See docs/server.md.\n"
        f"data_dir = {json.dumps(str(target.data_dir))}   # the embedded PostgreSQL\n"
        f"port = {target.port}\n"
        "# Backups go to at least two folders; put the second on another disk.\n"
        f"backup_dirs = [{dirs}]\n"
    )


def _command(target: Target, *args: str) -> str:
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in target.environment().items())
    run = " ".join(shlex.quote(part) for part in (str(target.link), *args))
    return f"/usr/bin/env {env} {run}" if env else run


def unit_text(target: Target) -> str:
    """The systemd service that starts the embedded PostgreSQL at boot."""
    return (
        "[Unit]\n"
        "Description=База данных электронного журнала (встроенный PostgreSQL, ejournal)\n"
        "Documentation=file:///opt/ejournal/docs/server.md\n"
        "After=network.target local-fs.target\n\n"
        "[Service]\n"
        "# The launcher starts the server under the unprivileged account ejournal-pg and\n"
        "# returns; the server stays in this unit's control group until «stop».\n"
        "Type=oneshot\n"
        "RemainAfterExit=yes\n"
        f"ExecStart={_command(target, 'server', 'start')}\n"
        f"ExecStop={_command(target, 'server', 'stop')}\n"
        "TimeoutStartSec=180\n"
        "TimeoutStopSec=120\n\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n"
    )


def cron_text(target: Target) -> str:
    """The ``@reboot`` entry used where systemd is absent (containers, CI, old init)."""
    log = shlex.quote(str(target.data_dir / "log" / "boot.log"))
    return (
        "# Start the journal's database at boot (ejournal server install; no systemd here).\n"
        "SHELL=/bin/sh\n"
        f"@reboot root {_command(target, 'server', 'start')} >> {log} 2>&1\n"
    )


def write_public(path: Path, text: str, mode: int = 0o644) -> bool:
    """Write a root-owned file readable by all, atomically; False when it was already so."""
    if path.exists() and path.read_text("utf-8") == text and (path.stat().st_mode & 0o777) == mode:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(mode)
    tmp.replace(path)
    return True
