"""The roles of a person, as the database names them, and their Russian titles.

Here, not in ``core.session``, because the browser's program (``ejournal web --tab``) checks
its ``[web] roles`` setting before the first frame, and ``core.session`` brings psycopg and
argon2 with it (issue 16, ``web_login_p95_s``).
"""

from __future__ import annotations

ROLE_TITLES: dict[str, str] = {
    "admin": "заведующий учебной частью",
    "director": "директор",
    "deputy": "заместитель директора",
    "office": "учебная часть",
    "methodologist": "методист",
    "teacher": "преподаватель",
    "curator": "куратор",
    "support": "специалист сопровождения",
    "parent": "родитель",
    "student": "обучающийся",
}
