"""The world of ``ssh_load.py``: the install under a folder, the demo, the teachers' accounts
and their pages, the OS users and the sshd (root only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import ROOT, free_port
from ssh_parts import sshd_config, studying_rows

GROUP, PREFIX = "ejbench", "ejb"
PROGRAM = ROOT / ".venv" / "bin" / "ejournal"
TEACHERS = """
SELECT t.id, t.teacher_id, a.login FROM journal.teaching_load t
  LEFT JOIN journal.account a ON a.person_id = t.teacher_id
  JOIN journal.period p ON p.id = t.period_id JOIN journal.academic_year y ON y.id = p.year_id
 WHERE t.subgroup_id IS NULL AND (a.login IS NULL OR a.login LIKE 'bench-t%%')
   AND NOT t.pass_fail AND p.closed_at IS NULL AND y.archived_at IS NULL
   AND p.starts_on <= current_date
   AND NOT EXISTS (SELECT 1 FROM journal.student s WHERE s.group_id = t.group_id
                    AND s.status <> 'обучается')
   AND (SELECT count(*) FROM journal.lesson l
         WHERE l.load_id = t.id AND l.lesson_date <= current_date) >= 4
   AND NOT EXISTS (SELECT 1 FROM journal.lesson l
                    WHERE l.load_id = t.id AND l.taught_by <> t.teacher_id)
 ORDER BY t.teacher_id, (SELECT count(*) FROM journal.lesson l WHERE l.load_id = t.id) DESC
"""


def sh(*args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run a command; its output (fails loudly with it)."""
    done = subprocess.run(list(args), capture_output=True, text=True, env=env, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


class World:
    """The install, the demo, the accounts, the OS users and sshd of one run."""

    def __init__(self, base: Path, users: int, db_port: int) -> None:
        self.base, self.users, self.root = base, users, base / "root"
        self.config = self.root / "etc/ejournal/ejournal.toml"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("EJOURNAL_")},
                    "EJOURNAL_SYSTEM_CONFIG": str(self.config),
                    "EJOURNAL_CONFIG": "/nonexistent/ejournal.toml"}
        self.db_port, self.ssh_port = db_port, free_port()
        self.sshd: subprocess.Popen[bytes] | None = None

    def install(self) -> None:
        self.base.mkdir(mode=0o755, parents=True, exist_ok=True)
        self.base.chmod(0o755)
        if shutil.which("sshd") is None and not Path("/usr/sbin/sshd").exists():
            sh("apt-get", "install", "-y", "openssh-server")
        started = time.perf_counter()
        print(sh(str(PROGRAM), "server", "install", "--prefix", str(self.root),
                 "--port", str(self.db_port), env=self.env), file=sys.stderr)
        print(f"  # install {time.perf_counter() - started:.0f} s", file=sys.stderr)
        sh(str(self.root / "usr/local/bin/ejournal"), "demo", "--no-tui", env=self.env)
        os.environ.update({k: v for k, v in self.env.items() if k.startswith("EJOURNAL_")})

    def settings(self) -> Any:
        from kernel.settings import load_settings

        return load_settings()

    def accounts(self) -> list[dict[str, Any]]:
        """A page per OS user whose students all study: each teacher's first such page, then
        their others (the demo college has fewer teachers than thirty; two OS users may then
        be one teacher on two pages, as a teacher with two terminals)."""
        from db.server.launcher import EmbeddedServer
        from demo.accounts import ensure_account

        settings = self.settings()
        chosen: list[dict[str, Any]] = []
        with EmbeddedServer(settings).connect_superuser(settings.dbname) as conn:
            rows = conn.execute(TEACHERS).fetchall()
            firsts = {teacher: load for load, teacher, _ in reversed(rows)}
            ordered = sorted(rows, key=lambda r: (firsts[r[1]] != r[0], r[1], r[0]))
            made: set[str] = set()
            for load_id, teacher, existing in ordered[:self.users]:
                n = len(chosen) + 1
                login = existing or f"bench-t{teacher}"
                password = f"Bench-pass-{login.removeprefix('bench-t')}-xq"
                if existing is None and login not in made:
                    ensure_account(conn, teacher, login, password, settings=settings)
                made.add(login)
                chosen.append({"n": n, "user": f"{PREFIX}{n:02d}", "login": login,
                               "password": password, "load_id": load_id})
        if len(chosen) < self.users:
            raise RuntimeError(f"only {len(chosen)} pages where every student studies")
        for item in chosen:
            item.update(page_of(settings, item))
        return chosen

    def os_users(self) -> None:
        if sh("getent", "group", GROUP, check=False) == "":
            sh("groupadd", GROUP)
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.base / "client"),
           check=False) if not (self.base / "client").exists() else None
        keys = self.base / "keys"
        keys.mkdir(mode=0o755, exist_ok=True)
        public = (self.base / "client.pub").read_text()
        for n in range(1, self.users + 1):
            user = f"{PREFIX}{n:02d}"
            if sh("getent", "passwd", user, check=False) == "":
                sh("useradd", "-m", "-s", "/bin/sh", "-G", GROUP, user)
            sh("usermod", "-p", "*", user)       # not locked: sshd lets the key in
            (keys / user).write_text(public)
            (keys / user).chmod(0o644)

    def start_sshd(self) -> None:
        folder = self.base
        if not (folder / "host_ed25519").exists():
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_ed25519"))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        command = f"/usr/bin/env EJOURNAL_SYSTEM_CONFIG={self.config} {self.root}/usr/local/bin/ejournal"
        snippet = sh(str(PROGRAM), "server", "ssh-config", "--command", command, "--group", GROUP)
        conf = folder / "sshd_config"
        conf.write_text(sshd_config(folder, self.ssh_port, snippet))
        sh("/usr/sbin/sshd", "-t", "-f", str(conf))
        self.sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(conf)],
                                     stderr=open(folder / "sshd.log", "ab"))  # noqa: SIM115
        time.sleep(1)

    def stop(self, keep: bool) -> None:
        if self.sshd is not None:
            self.sshd.terminate()
            self.sshd.wait(10)
        if not keep:
            for n in range(1, self.users + 1):
                sh("userdel", "-r", f"{PREFIX}{n:02d}", check=False)
            sh("groupdel", GROUP, check=False)
            sh(str(PROGRAM), "server", "uninstall", "--prefix", str(self.root), "--purge-data",
               "--yes", env=self.env, check=False)
            shutil.rmtree(self.base, ignore_errors=True)


def page_of(settings: Any, item: dict[str, Any]) -> dict[str, Any]:
    """The page's students, the lessons from the one it opens on leftwards, which rows study
    on each lesson's date (as the program reads the page for the teacher), the picker path."""
    from datetime import date

    from core.journal.service import list_loads, load_page
    from core.session import log_in

    session = log_in(settings, item["login"], item["password"])
    try:
        page = load_page(session, item["load_id"]).page
        loads = list_loads(session)
    finally:
        session.close()
    today = date.today()
    todays = [i for i, x in enumerate(page.lessons) if x.date == today]
    held = [i for i, x in enumerate(page.lessons) if x.date <= today]
    start = todays[0] if todays else held[-1]
    lessons = [page.lessons[i].lesson_id for i in range(start, -1, -1)]
    load = next(x for x in loads if x.load_id == item["load_id"])
    words = load.label.lower().split()
    shown = [x.label + ("" if x.is_mine else f" · {x.teacher_name}") for x in loads]
    matching = [x.load_id for x, label in zip(loads, shown, strict=True)
                if all(w in label.lower() for w in words)]
    return {"students": [s.student_id for s in page.students], "lessons": lessons,
            "studying": studying_rows(page, lessons),
            "filter": load.label, "index": matching.index(item["load_id"]), "title": page.title}


def clear_columns(settings: Any, lessons: list[int]) -> int:
    """Empty the columns the sessions will fill; the last history id before typing."""
    from db.server.launcher import EmbeddedServer

    with EmbeddedServer(settings).connect_superuser(settings.dbname) as conn:
        conn.execute("DELETE FROM journal.mark WHERE lesson_id = ANY(%s)", (lessons,))
        conn.execute("DELETE FROM journal.attendance WHERE lesson_id = ANY(%s)", (lessons,))
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM journal.change_log").fetchone()[0])


