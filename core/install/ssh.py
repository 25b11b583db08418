"""An SSH account that opens straight into the program: the ``sshd_config`` snippet, and why
``ejournal`` refuses to start when it cannot be the full-screen program.

With ``ForceCommand``, sshd runs ``ejournal`` whatever the client asked; a command the client
gave (``ssh server ls``, scp, sftp) arrives in ``SSH_ORIGINAL_COMMAND`` and is not run.
"""

from __future__ import annotations

from core.install.files import GROUP


def sshd_snippet(command: str = "/usr/local/bin/ejournal", group: str = GROUP) -> str:
    """The ``sshd_config`` block: members of ``group`` get the journal and nothing else."""
    return (
        f"# ejournal: members of the OS group «{group}» open the electronic journal on login\n"
        "# (ejournal server ssh-config). Put it at the end of /etc/ssh/sshd_config or into\n"
        "# /etc/ssh/sshd_config.d/ejournal.conf, then: sshd -t && systemctl reload ssh\n"
        f"Match Group {group}\n"
        f"    ForceCommand {command}\n"
        "    PermitTTY yes\n"
        "    DisableForwarding yes\n"
        "    AllowTcpForwarding no\n"
        "    AllowAgentForwarding no\n"
        "    X11Forwarding no\n"
        "    PermitTunnel no\n"
        "    PermitUserRC no\n"
    )


def not_interactive_reason(asked: str, stdin_tty: bool, stdout_tty: bool) -> str:
    """Why the full-screen program cannot start here (one Russian sentence), or ``""``.

    Args:
        asked: The command an SSH client asked for (``SSH_ORIGINAL_COMMAND``), or ``""``.
        stdin_tty: Standard input is a terminal.
        stdout_tty: Standard output is a terminal.
    """
    asked = asked.strip()
    if asked:
        return (f"Эта учётная запись открывает по SSH только электронный журнал; команда "
                f"«{asked[:60]}» не выполняется. Подключайтесь без команды: ssh логин@сервер.")
    if not (stdin_tty and stdout_tty):
        return ("Электронному журналу нужен терминал, а его нет; подключитесь так: "
                "ssh -t логин@сервер (или откройте программу в окне терминала).")
    return ""
