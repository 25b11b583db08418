"""The small Russian pages of the web server: refusals a parent may see instead of the journal."""

from __future__ import annotations

from html import escape

from aiohttp import web

_PAGE = """<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} — Электронный журнал</title>
<style>body{{font-family:sans-serif;background:#0c181f;color:#eee;display:flex;
align-items:center;justify-content:center;min-height:90vh}}
main{{max-width:36em;background:#12232d;padding:2em;border-radius:6px}}
a{{color:#8cf}}</style></head>
<body><main><h1>{title}</h1><p>{text}</p><p><a href="/">Попробовать ещё раз</a></p></main></body>
</html>
"""

REFUSALS: dict[str, tuple[int, str, str]] = {
    "full": (503, "Журнал сейчас занят",
             "Сейчас журнал открыт у слишком многих посетителей. Пожалуйста, зайдите "
             "через несколько минут — ваши данные никуда не денутся."),
    "too_many": (429, "Слишком много входов",
                 "С вашего адреса за последнюю минуту открыто слишком много окон журнала. "
                 "Закройте лишние вкладки и зайдите снова через минуту."),
}
"""Why a session is refused → the HTTP status, the page's title and its text."""


_STATUSES: dict[int, type[web.HTTPException]] = {
    503: web.HTTPServiceUnavailable, 429: web.HTTPTooManyRequests}


def refusal(reason: str) -> web.HTTPException:
    """The Russian page for a refused session, to raise (``full``: 503, ``too_many``: 429;
    both with Retry-After)."""
    status, title, text = REFUSALS[reason]
    return _STATUSES[status](content_type="text/html", headers={"Retry-After": "60"},
                             text=_PAGE.format(title=escape(title), text=escape(text)))
