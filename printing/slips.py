"""Credentials slips (R13): eight to a portrait A4 page, dashed lines to cut along.

Each slip: the college, the person and their role, login, one-time password, the rule that
the password is changed at the first login, and how to connect.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from core.printouts.forms import CredentialSlip, CredentialSlips
from printing.fonts import BOLD
from printing.layout import PageSetup, Printout, para, style

PER_ROW = 2
SLIP_H = 55 * mm
FIRST_LOGIN = "При первом входе программа попросит сменить пароль."
SECRET = "Пароль личный: никому его не сообщайте."
MONO = "Courier-Bold"


def _setup(data: CredentialSlips) -> PageSetup:
    return PageSetup(data.college, f"Реквизиты входа в электронный журнал ({len(data.slips)})")


def _secret_line(label: str, value: str) -> Paragraph:
    """«Логин: st0001» with the value large, in a monospace font when it is plain ASCII."""
    font = MONO if value.isascii() else BOLD
    body = f'{label}: <font name="{font}" size="13">{escape(value)}</font>'
    return Paragraph(body, style(10, leading=15))


def slip(item: CredentialSlip, college: str, how_to_connect: str) -> list[Flowable]:
    """The lines of one slip."""
    role = f"{item.role} · {item.note}" if item.note else item.role
    lines: list[Flowable] = [
        para(college, 7, center=True), Spacer(1, 1.5 * mm),
        para("Вход в электронный журнал", 10, bold=True, center=True), Spacer(1, 1.5 * mm),
        para(item.person, 10, bold=True), para(role, 8), Spacer(1, 1.5 * mm),
        _secret_line("Логин", item.login), _secret_line("Одноразовый пароль", item.password),
        Spacer(1, 1.5 * mm), para(FIRST_LOGIN, 8, bold=True)]
    if how_to_connect:
        lines.append(para(f"Как войти: {how_to_connect}", 8))
    return [*lines, para(SECRET, 7)]


def sheet(data: CredentialSlips, width: float) -> Table:
    """All slips, ``PER_ROW`` across, framed by dashed cut lines."""
    cells = [slip(item, data.college.name, data.how_to_connect) for item in data.slips]
    cells += [[]] * (-len(cells) % PER_ROW)
    rows = [cells[i:i + PER_ROW] for i in range(0, len(cells), PER_ROW)] or [[[]] * PER_ROW]
    table = Table(rows, colWidths=[width / PER_ROW] * PER_ROW, rowHeights=SLIP_H)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.grey, None, (4, 3)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 4 * mm)]))
    return table


def story(data: CredentialSlips) -> list[Flowable]:
    """The sheet of slips."""
    return [sheet(data, _setup(data).frame_width)]


FORM: Printout[CredentialSlips] = Printout(story, _setup)


def render_slips(data: CredentialSlips, path: Path) -> int:
    """Write the slips as a PDF; returns the number of pages."""
    return FORM.render(data, path)


def save_private_slips(data: CredentialSlips, path: Path) -> int:
    """Write the slips to ``path`` as a file only its owner reads (0600 from the start, in a
    0700 folder if the folder is new): the slips hold one-time passwords.

    Raises:
        EJournalError: the folder or the file cannot be created.
    """
    from kernel.errors import EJournalError
    from kernel.paths import create_private, private_dir

    try:
        private_dir(path.parent)
        create_private(path)
    except OSError as exc:
        raise EJournalError(f"Файл «{path}» не удалось создать: {exc.strerror}.",
                            title="Листки не сохранены") from exc
    return render_slips(data, path)


def slips_page_count(data: CredentialSlips) -> int:
    """How many pages the slips will take."""
    return FORM.page_count(data)
