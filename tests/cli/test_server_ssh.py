"""An SSH account that opens straight into the journal (issue 15, item 3): the sshd_config
snippet, and ``ejournal`` started by sshd without a terminal or with a command the client
asked for says one Russian sentence instead of a traceback or a broken screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(sys.executable).with_name("ejournal")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PROGRAM), *args], env={**os.environ, **(env or {})},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          check=False)


def test_ssh_config_prints_the_match_block() -> None:
    done = _run("server", "ssh-config")
    assert done.returncode == 0
    lines = [line.strip() for line in done.stdout.splitlines() if not line.startswith("#")]
    assert lines[0] == "Match Group ejournal"
    assert "ForceCommand /usr/local/bin/ejournal" in lines
    assert {"DisableForwarding yes", "PermitTTY yes", "X11Forwarding no"} <= set(lines)


def test_ssh_config_names_another_program_path() -> None:
    done = _run("server", "ssh-config", "--command", "/opt/ejournal/venv/bin/ejournal")
    assert "ForceCommand /opt/ejournal/venv/bin/ejournal" in done.stdout


def test_a_command_asked_over_ssh_is_refused_in_one_sentence() -> None:
    done = _run(env={"SSH_ORIGINAL_COMMAND": "scp -t /tmp"})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "«scp -t /tmp» не выполняется" in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_no_terminal_is_one_sentence_not_a_traceback() -> None:
    done = _run(env={"SSH_ORIGINAL_COMMAND": ""})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "нужен терминал" in lines[0] and "ssh -t" in lines[0]
