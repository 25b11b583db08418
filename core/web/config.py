"""The ``[web]`` section of ``ejournal.toml``: limits of ``ejournal web`` and who may use it.

Each browser tab runs one copy of the program (a process with its own database connection),
so the web server is limited. Read, in order of precedence, from keyword overrides,
``EJOURNAL_WEB_<NAME>`` variables, the ``[web]`` section and the defaults::

    [web]
    max_sessions = 50                    # open tabs at once; the next one gets the "full" page
    idle_minutes = 30                    # a tab nobody typed in for this long is closed
    new_per_minute = 10                  # new tabs per address per minute
    trusted_proxies = ["127.0.0.1", "::1"]  # X-Forwarded-For is believed only from these
    roles = ["parent", "student"]        # who may log in through the browser
    warm_programs = 2                    # programs started ahead, so a new tab need not wait
"""

from __future__ import annotations

from dataclasses import dataclass

from kernel.errors import AccessDenied, ConfigError
from kernel.roles import ROLE_TITLES
from kernel.settings import load_section


@dataclass(frozen=True)
class WebPolicy:
    """Limits of the web server and the roles it admits.

    Attributes:
        max_sessions: Open browser sessions at once (each one is a process); 0: no cap.
        idle_minutes: A session without a key press or click for this long is closed; 0: never.
        new_per_minute: New sessions one address may open per minute; 0: no limit.
        trusted_proxies: Addresses of the reverse proxies whose ``X-Forwarded-For`` is taken
            as the visitor's address; from anyone else the header is ignored.
        roles: Roles that may log in through the browser (the issue's ``web_roles``); a person
            holding none of them is refused after the password.
        warm_programs: Programs started ahead of the visitors (each waits, imported and
            without a database connection, for a tab; about as much memory as an open tab); a
            new tab takes one instead of starting its own. 0: none.
    """

    max_sessions: int = 50
    idle_minutes: float = 30.0
    new_per_minute: int = 10
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    roles: tuple[str, ...] = ("parent", "student")
    warm_programs: int = 2


def load_web_policy(**overrides: object) -> WebPolicy:
    """The ``[web]`` settings, checked.

    Raises:
        ConfigError: a key, a value or a role name is wrong (named with where it was typed).
    """
    policy = load_section(WebPolicy, "web", **overrides)
    unknown = [role for role in policy.roles if role not in ROLE_TITLES]
    if unknown:
        raise ConfigError(f"Роль «{unknown[0]}» в настройке «[web] roles» неизвестна; "
                          f"известные: {', '.join(ROLE_TITLES)}.")
    return policy


def check_web_roles(roles: frozenset[str], allowed: tuple[str, ...]) -> None:
    """Refuse a person who holds none of the roles allowed in the browser.

    Raises:
        AccessDenied: one Russian sentence: where this person can work instead.
    """
    if roles.intersection(allowed):
        return
    who = ", ".join(ROLE_TITLES[role] for role in allowed if role in ROLE_TITLES) or "никому"
    raise AccessDenied(
        f"Через браузер журнал открыт только для ролей: {who}. Работайте в журнале "
        "на компьютере колледжа (терминальная программа) или обратитесь к администратору.",
        title="Вход через браузер закрыт")
