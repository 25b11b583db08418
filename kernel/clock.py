"""The program's one clock: what «today» and «now» are on screens, printouts and defaults.

Every read of today's date or the time of day that a person sees (the journal page's
«today», the curator's «Сейчас: 1 пара», a form's default date, the current period of a
list) goes through :func:`today` and :func:`now`, and queries that pick something by today
take this date as a parameter instead of the server's ``current_date``. Normally the clock is
the computer's. ``EJOURNAL_TODAY`` (read in :mod:`kernel.settings`) freezes it for tests and
demonstrations: ``2026-11-18`` is that day at 09:00, ``2026-11-18T10:15`` that very minute;
the time does not run on. A frozen clock changes only what the program reads: timestamps the
database stores (history of corrections, «filled late», messages) stay the server's.
"""

from __future__ import annotations

from datetime import date, datetime, time

from kernel.errors import ConfigError
from kernel.settings import frozen_today_variable

FROZEN_DAY_TIME = time(9, 0)
"""The time of day of a frozen clock given as a date only: the second pair of the day runs."""


def frozen() -> datetime | None:
    """The moment ``EJOURNAL_TODAY`` freezes the clock at, or None when the clock runs.

    Raises:
        ConfigError: the variable is set to something that is not a date (Russian message).
    """
    raw = frozen_today_variable().strip()
    if not raw:
        return None
    try:
        if len(raw) <= len("2026-11-18"):
            return datetime.combine(date.fromisoformat(raw), FROZEN_DAY_TIME)
        return datetime.fromisoformat(raw).replace(tzinfo=None)
    except ValueError as exc:
        raise ConfigError(f"Переменная EJOURNAL_TODAY должна быть датой вида ГГГГ-ММ-ДД "
                          f"(или ГГГГ-ММ-ДДTЧЧ:ММ), а задано «{raw}».") from exc


def now() -> datetime:
    """The local time of day as the program shows it (naive, the computer's time zone)."""
    return frozen() or datetime.now()


def today() -> date:
    """Today's date as the program shows it and picks defaults by."""
    return now().date()
