"""The settings screen's items (issue 13, item 5): each with its current value, the values it
allows and what it does, in Russian; typed values checked with Russian errors.

The values live in ``journal.setting`` (one JSON value per key; a composite key such as
``working_hours`` is shown as one item per field). Only the admin changes them: the database
refuses anyone else (row-level security), checks the shapes again (triggers of migrations
0004 and 0060) and records every change in the history. Backup destinations, time and
retention are settings of the installation: written into the settings file (``ejournal.toml``)
by core/backup/config.py, the code ``ejournal backup schedule`` uses too, and an installed
schedule is moved to the new time (core/backup/schedule.py); the admin only, checked by the
database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.grading.finals import RoundingRule
from kernel.errors import ConfigError, ValidationError

if TYPE_CHECKING:
    import psycopg

ROLE_TITLES = {"admin": "заведующий учебной частью", "director": "директор", "deputy": "заместитель",
               "office": "учебная часть", "methodologist": "методист", "teacher": "преподаватель",
               "curator": "куратор", "support": "специалист (психолог, соц. педагог)",
               "parent": "родитель", "student": "обучающийся"}
ROLE_BY_TITLE = {**{v: k for k, v in ROLE_TITLES.items()}, **{k: k for k in ROLE_TITLES}}
DAY_NAMES = ("", "пн", "вт", "ср", "чт", "пт", "сб", "вс")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _yes_no(text: str) -> bool:
    key = text.strip().lower()
    if key in ("да", "вкл", "включено", "1", "yes", "true"):
        return True
    if key in ("нет", "выкл", "выключено", "0", "no", "false"):
        return False
    raise ValidationError(f"«{text}»: напишите «да» или «нет».")


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise ValidationError(f"«{text}»: нужно целое число от {low} до {high}.")
        return int(text)
    return parse


def _time(text: str) -> str:
    if not _TIME.match(text.strip()):
        raise ValidationError(f"«{text}»: нужно время ЧЧ:ММ, например 07:30.")
    return text.strip()


def _roles(text: str) -> list[str]:
    roles = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        if part not in ROLE_BY_TITLE:
            raise ValidationError(f"Роль «{part}» неизвестна; допустимы: {', '.join(ROLE_TITLES.values())}.")
        roles.append(ROLE_BY_TITLE[part])
    return roles


def _days(text: str) -> list[int]:
    days = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        if part in DAY_NAMES[1:]:
            days.append(DAY_NAMES.index(part))
        elif part.isdigit() and 1 <= int(part) <= 7:
            days.append(int(part))
        else:
            raise ValidationError(f"День «{part}»: пишите пн, вт, ср, чт, пт, сб, вс через запятую.")
    if not days:
        raise ValidationError("Укажите хотя бы один день недели.")
    return sorted(set(days))


_ROUNDING_WORDS = {"вверх": "half_up", "вниз": "half_down", "к чётному": "bankers",
                   "к четному": "bankers"}


def _folders(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def _rounding(text: str) -> str:
    key = text.strip().lower()
    if key.removeprefix("половина — ").removeprefix("половина ") in _ROUNDING_WORDS:
        return _ROUNDING_WORDS[key.removeprefix("половина — ").removeprefix("половина ")]
    for rule in RoundingRule:
        if key in (rule.value, rule.label.lower(), rule.label.split(" (")[0].lower()):
            return rule.value
    raise ValidationError(f"«{text}»: допустимо «вверх», «вниз» или «к чётному».")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(DAY_NAMES[v] if isinstance(v, int) else ROLE_TITLES.get(str(v), str(v))
                         for v in value) or "—"
    if value in {r.value for r in RoundingRule}:
        return RoundingRule(value).label
    return str(value)


@dataclass(frozen=True)
class Item:
    """One line of the settings screen."""

    key: str
    """``reason_after_days`` or ``working_hours.from`` (key of journal.setting, field)."""
    title: str
    allowed: str
    meaning: str
    parse: Callable[[str], Any] | None = None
    """None: not changed from the program (an installation setting)."""

    @property
    def setting(self) -> str:
        return self.key.split(".")[0]

    @property
    def field(self) -> str | None:
        return self.key.split(".")[1] if "." in self.key else None


ITEMS = (
    Item("working_hours.enabled", "Вход только в рабочее время (R19)", "да / нет",
         "Если «да», люди указанных ролей не могут войти вне рабочих часов и дней.", _yes_no),
    Item("working_hours.from", "Рабочее время: с", "ЧЧ:ММ, например 07:00",
         "Начало рабочего времени (часовой пояс сервера).", _time),
    Item("working_hours.to", "Рабочее время: до", "ЧЧ:ММ, например 21:00",
         "Конец рабочего времени; если раньше начала — смена через полночь.", _time),
    Item("working_hours.days", "Рабочие дни", "пн, вт, ср, чт, пт, сб, вс через запятую",
         "В другие дни вход для указанных ролей закрыт.", _days),
    Item("working_hours.roles", "Кого ограничивает рабочее время", "роли через запятую",
         "Роли, которых касается ограничение (например: преподаватель, куратор).", _roles),
    Item("rounding_rule", "Округление итоговой отметки (R7)", "вверх, вниз или к чётному",
         "Как средний балл, оканчивающийся ровно на ,5, становится итоговой отметкой.", _rounding),
    Item("reason_after_days", "Исправление с причиной после, дней", "целое от 0 до 365",
         "Отметку, выставленную раньше этого срока, можно исправить только указав причину (R14).",
         _int_between(0, 365)),
    Item("login_lockout.max_failures", "Неудачных входов до блокировки", "целое от 1 до 100",
         "Сколько неверных паролей подряд блокируют вход (R13).", _int_between(1, 100)),
    Item("login_lockout.window_minutes", "Окно подсчёта неудачных входов, минут", "целое от 1 до 1440",
         "За какое время считаются неудачные входы.", _int_between(1, 1440)),
    Item("login_lockout.lock_minutes", "Блокировка входа, минут", "целое от 0 до 1440",
         "На сколько минут закрывается вход после стольких неудач (0 — до разблокировки).",
         _int_between(0, 1440)),
    Item("idle_lock_minutes", "Блокировка экрана при простое, минут", "целое от 0 до 1440",
         "Через сколько минут без работы экран закрывается и просит пароль (0 — никогда).",
         _int_between(0, 1440)),
    Item("homework_file_max_mb", "Наибольший размер файла к заданию, МБ", "целое от 1 до 100",
         "Файл больше этого размера к домашнему заданию не прикрепить (PDF, DOCX, картинки).",
         _int_between(1, 100)),
    Item("backup.destinations", "Резервные копии: куда", "не меньше двух папок через запятую (R15)",
         "Папки на разных носителях, в которые пишется каждая копия базы; папка должна уже быть. "
         "Записывается в файл настроек (backup_dirs).", _folders),
    Item("backup.time", "Резервные копии: время ежедневной копии", "ЧЧ:ММ, например 02:30",
         "Когда каждый день делается копия. Установленное расписание переносится на это время.",
         _time),
    Item("backup.keep_daily", "Резервные копии: хранить ежедневных", "целое от 1 до 365",
         "Сколько последних дней с копиями хранить (по самой новой копии дня) в каждой папке.",
         _int_between(1, 365)),
    Item("backup.keep_monthly", "Резервные копии: хранить ежемесячных", "целое от 0 до 120",
         "Сколько последних месяцев хранить (по самой новой копии месяца); 0 — не хранить.",
         _int_between(0, 120)),
    Item("backup.schedule", "Резервные копии: расписание", "ставится на сервере",
         "Устанавливается командой «ejournal backup schedule» на сервере (нужны права root или "
         "своя crontab); здесь видно, установлено ли оно и когда следующий запуск."),
)
BY_KEY = {item.key: item for item in ITEMS}


@dataclass(frozen=True)
class Current:
    """An item with its current value as text."""

    item: Item
    value: str


def _backup_values() -> dict[str, str]:
    from core.backup.config import load_policy, load_setup
    from core.backup.schedule import schedule_status
    from kernel.settings import load_settings

    keys = [item.key for item in ITEMS if item.setting == "backup"]
    try:
        settings, policy = load_settings(), load_policy()
    except ConfigError as exc:
        return dict.fromkeys(keys, exc.message)
    return {"backup.destinations": ", ".join(settings.backup_dirs) or "не заданы",
            "backup.time": policy.time, "backup.keep_daily": str(policy.keep_daily),
            "backup.keep_monthly": str(policy.keep_monthly),
            "backup.schedule": schedule_status(load_setup(settings, policy)).describe()}


def _change_backup(conn: psycopg.Connection, item: Item, value: Any) -> str:
    """Write a backup setting into the settings file; move an installed schedule to a new time."""
    from core.backup.config import load_setup, save_backup_settings
    from core.backup.schedule import reschedule
    from kernel.settings import load_settings

    row = conn.execute("SELECT journal.is_admin()").fetchone()
    if not row or not row[0]:
        raise ValidationError("Настройки меняет только заведующий учебной частью.")
    try:
        if item.field == "destinations":
            path = save_backup_settings(folders=value)
        else:
            path = save_backup_settings(**{str(item.field): value})
    except ConfigError as exc:
        raise ValidationError(f"{item.title}: {exc.message}", field=item.key) from exc
    shown = f"{', '.join(value) if isinstance(value, list) else value} (файл {path})"
    if item.field == "time":
        moved = reschedule(load_setup(load_settings()))
        shown += (f"; расписание перенесено: {moved.describe()}" if moved else
                  "; расписание на сервере не установлено (ejournal backup schedule)")
    return shown


def read_all(conn: psycopg.Connection) -> list[Current]:
    """Every item with its current value."""
    from core.calendar.year import rows

    stored = dict(rows(conn, "SELECT key, value FROM journal.setting"))
    backup = _backup_values()
    result = []
    for item in ITEMS:
        if item.key in backup:
            result.append(Current(item, backup[item.key]))
            continue
        value = stored.get(item.setting)
        if item.field is not None and isinstance(value, dict):
            value = value.get(item.field)
        result.append(Current(item, "не задано" if value is None else _show(value)))
    return result


def change(conn: psycopg.Connection, key: str, text: str, reason: str = "") -> str:
    """Check and store a typed value; returns it as shown.

    Raises:
        ValidationError: an unknown item, an item not changed here, or a value not allowed
            (Russian, naming what is allowed).
        EJournalError: the database refused (only the admin changes settings).
    """
    from psycopg.types.json import Jsonb

    from core.calendar.year import run

    item = BY_KEY.get(key)
    if item is None:
        raise ValidationError(f"Настройки «{key}» нет; есть: {', '.join(BY_KEY)}.")
    if item.parse is None:
        raise ValidationError(f"«{item.title}» меняется не здесь: {item.meaning}")
    try:
        value = item.parse(text)
    except ValidationError as exc:
        raise ValidationError(f"{item.title}: {exc.message}", field=key) from exc
    if item.setting == "backup":
        return _change_backup(conn, item, value)
    if item.field is None:
        found = run(conn, "UPDATE journal.setting SET value = %s WHERE key = %s RETURNING key",
                    (Jsonb(value), item.setting), reason)
    else:
        found = run(conn, """UPDATE journal.setting SET value = jsonb_set(value, %s, %s)
                              WHERE key = %s RETURNING key""",
                    ([item.field], Jsonb(value), item.setting), reason)
    if not found:
        raise ValidationError("Настройки меняет только заведующий учебной частью.")
    return _show(value)
