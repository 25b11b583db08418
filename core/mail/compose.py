"""The weekly letter's words: plain text and a small HTML part (issue 16.2, R20).

Pure: a :class:`~core.mail.recipients.Letter` in, an :class:`email.message.EmailMessage` out
(``multipart/alternative``: the text first, the HTML second). Written for a parent reading it
on a phone: the child, their marks, their absences with hours (НУ, НН) and the homework of
the week, each with the day and the discipline, and one line that explains the abbreviations.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from core.mail.recipients import ChildWeek, Item, Letter

DAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
LEGEND = ("НУ — пропуск по уважительной причине, НН — без уважительной причины; "
          "ч. — академические часы.")
FOOTER = ("Письмо отправлено электронным журналом колледжа автоматически; отвечать на него "
          "не нужно. С вопросами и чтобы отказаться от писем, обратитесь к куратору группы.")


def week_title(week: date) -> str:
    """«с 30.11.2026 по 06.12.2026»."""
    return f"с {week:%d.%m.%Y} по {week + timedelta(days=6):%d.%m.%Y}"


def subject(letter: Letter) -> str:
    """The letter's subject line."""
    names = ", ".join(" ".join(child.name.split(" ")[:2]) for child in letter.children)
    return f"Электронный журнал: неделя {week_title(letter.week)} — {names}"


def greeting(parent_name: str) -> str:
    """«Здравствуйте, Мария Ивановна!» (name and patronymic; the surname when only it is known)."""
    parts = parent_name.split(" ")
    polite = " ".join(parts[1:]) if len(parts) > 1 else parent_name
    return f"Здравствуйте, {polite}!"


def _when(item: Item) -> str:
    return f"{DAYS[item.day.weekday()]} {item.day:%d.%m}, {item.pair_no}-я пара"


def _absences_line(child: ChildWeek) -> str:
    if not child.absences:
        return "Пропусков нет."
    return f"Пропуски: НУ {child.missed_hours('НУ')} ч., НН {child.missed_hours('НН')} ч."


def child_sections(child: ChildWeek) -> list[tuple[str, list[str]]]:
    """The headings and lines of one child's part of the letter."""
    marks = [f"{_when(i)} — {i.discipline}: {i.text}" for i in child.marks] or ["Оценок нет."]
    absences = [f"{_when(i)} — {i.discipline}: {i.text}, {i.hours} ч." for i in child.absences]
    homework = [f"{_when(i)} — {i.discipline}: {i.text}" for i in child.homework]
    return [("Оценки", marks), (_absences_line(child), absences),
            ("Домашние задания", homework or ["Домашних заданий нет."])]


def plain_text(letter: Letter) -> str:
    """The letter as plain text."""
    lines = [greeting(letter.parent_name), "",
             f"Успеваемость и посещаемость за неделю {week_title(letter.week)}."]
    for child in letter.children:
        lines += ["", f"{child.name}, группа {child.group}"]
        for heading, items in child_sections(child):
            lines.append(heading if heading.endswith(".") else f"{heading}:")
            lines += [f"  {item}" for item in items]
    lines += ["", LEGEND, "", FOOTER]
    return "\n".join(lines) + "\n"


def html_text(letter: Letter) -> str:
    """The letter as a small HTML page (no images, no styles beyond the basics)."""
    esc = html.escape
    parts = [f"<p>{esc(greeting(letter.parent_name))}</p>",
             f"<p>Успеваемость и посещаемость за неделю {esc(week_title(letter.week))}.</p>"]
    for child in letter.children:
        parts.append(f"<h3>{esc(child.name)}, группа {esc(child.group)}</h3>")
        for heading, items in child_sections(child):
            parts.append(f"<p><b>{esc(heading)}</b></p>")
            if items:
                parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    parts += [f"<p><small>{esc(LEGEND)}</small></p>", f"<p><small>{esc(FOOTER)}</small></p>"]
    return "<html><body>" + "\n".join(parts) + "</body></html>\n"


def message(letter: Letter, sender: str) -> EmailMessage:
    """The letter ready for SMTP: From, To, Subject, Message-ID, text and HTML parts."""
    mail = EmailMessage()
    mail["From"] = formataddr(("Электронный журнал", sender))
    mail["To"] = formataddr((letter.parent_name, letter.email))
    mail["Subject"] = subject(letter)
    domain = sender.rpartition("@")[2] or None
    mail["Message-ID"] = make_msgid("ejournal", domain=domain)
    mail.set_content(plain_text(letter))
    mail.add_alternative(html_text(letter), subtype="html")
    return mail
