"""The office's moves between journal pages and statements without leaving the keyboard.

The office types marks from paper into any group's page: it goes to the same discipline in
the next group (Ctrl+PageDown/PageUp), to the next discipline of the same group
(Ctrl+Right/Left), or jumps to a group by typing its name. The order is
that of the paper pile: groups by name, then subgroups, within one study period. Rows come
through the person's own connection, so only loads and statements they may see take part.

The moves themselves are pure functions over :class:`Place` lists (tested without a
database); the ``neighbour_*``/``*_in_group`` functions read the places and apply them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.session import UserSession

GROUPS = "groups"
DISCIPLINES = "disciplines"


@dataclass(frozen=True)
class Place:
    """A journal page or a statement, as far as moving between them needs.

    Attributes:
        item_id: The load or statement id.
        period_id: Its study period.
        group_name: The group («СЭЗ-24-1»).
        subgroup_name: The subgroup, empty for the whole group.
        discipline_id: The discipline.
        discipline: Its title (the order of a group's pages).
        kind: What else must match for "the same" page (the statement's form; empty for loads).
    """

    item_id: int
    period_id: int
    group_name: str
    subgroup_name: str
    discipline_id: int
    discipline: str
    kind: str = ""

    @property
    def group_key(self) -> tuple[str, str]:
        """Sort key of the group and subgroup."""
        return (self.group_name, self.subgroup_name)


def neighbour(places: Sequence[Place], current_id: int, step: int, across: str = GROUPS) -> int | None:
    """The place ``step`` positions away, within the same study period.

    Two axes, each reversible (one step forward then back returns to the start):

    * ``across="groups"``: the same discipline (and kind) in the next (``step`` > 0) or
      previous group, groups ordered by name and subgroup — the office typing one discipline
      (one statement) for every group;
    * ``across="disciplines"``: the next (previous) discipline of the same group — the office
      typing a group's paper journal page by page.

    Args:
        places: Every place the person can open.
        current_id: The place open now.
        step: +1 forward, -1 back (larger steps skip).
        across: ``"groups"`` or ``"disciplines"``.

    Returns:
        The id to open, or None at either end.
    """
    current = next((p for p in places if p.item_id == current_id), None)
    if current is None or step == 0:
        return None
    if across == GROUPS:
        row = sorted((p for p in places if p.period_id == current.period_id
                      and p.discipline_id == current.discipline_id and p.kind == current.kind),
                     key=lambda p: (p.group_key, p.item_id))
    else:
        row = sorted((p for p in places if p.period_id == current.period_id
                      and p.group_key == current.group_key),
                     key=lambda p: (p.discipline, p.kind, p.item_id))
    return _step_in(row, current, step)


def _step_in(ordered: list[Place], current: Place, step: int) -> int | None:
    index = ordered.index(current) + step
    return ordered[index].item_id if 0 <= index < len(ordered) else None


def in_group(places: Sequence[Place], current_id: int, typed: str) -> int | None:
    """The same discipline (and kind) in the group whose name starts with or contains ``typed``.

    Case and the dashes do not matter («сэз241» finds «СЭЗ-24-1»); an exact name wins over a
    prefix, a prefix over a substring; among equals the first by name.

    Returns:
        The id to open, or None when no group of that name has the page.
    """
    current = next((p for p in places if p.item_id == current_id), None)
    wanted = _squeeze(typed)
    if current is None or not wanted:
        return None
    candidates = [p for p in places if p.period_id == current.period_id
                  and p.discipline_id == current.discipline_id and p.kind == current.kind
                  and wanted in _squeeze(p.group_name)]
    if not candidates:
        return None

    def rank(p: Place) -> tuple[int, tuple[str, str], int]:
        name = _squeeze(p.group_name)
        return (0 if name == wanted else 1 if name.startswith(wanted) else 2, p.group_key, p.item_id)

    return min(candidates, key=rank).item_id


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.lower().replace("ё", "е") if ch.isalnum())


LOAD_PLACES = """
SELECT t.id, t.period_id, g.name, coalesce(sg.name, ''), t.discipline_id, d.title, ''
  FROM journal.teaching_load t
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE t.period_id = (SELECT period_id FROM journal.teaching_load WHERE id = %(id)s)
"""

STATEMENT_PLACES = """
SELECT s.id, t.period_id, g.name, coalesce(sg.name, ''), t.discipline_id, d.title, s.form
  FROM journal.statement s
  JOIN journal.teaching_load t ON t.id = s.load_id
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id
 WHERE t.period_id = (SELECT t2.period_id FROM journal.statement s2
                        JOIN journal.teaching_load t2 ON t2.id = s2.load_id WHERE s2.id = %(id)s)
"""


def _places(session: UserSession, sql: str, item_id: int) -> list[Place]:
    with session.cursor() as cur:
        rows = cur.execute(sql, {"id": item_id}).fetchall()
    return [Place(*row) for row in rows]


def neighbour_load(session: UserSession, load_id: int, step: int, across: str = GROUPS) -> int | None:
    """The journal page to open after ``load_id`` (see :func:`neighbour`): by default the
    same discipline in the next (``step`` = +1) or previous (-1) group; with
    ``across="disciplines"`` the next (previous) load of the same group; None at the end."""
    return neighbour(_places(session, LOAD_PLACES, load_id), load_id, step, across)


def load_in_group(session: UserSession, load_id: int, typed: str) -> int | None:
    """The page of the same discipline and period in the group named ``typed``, or None."""
    return in_group(_places(session, LOAD_PLACES, load_id), load_id, typed)


def neighbour_statement(session: UserSession, statement_id: int, step: int,
                        across: str = GROUPS) -> int | None:
    """The statement of the same discipline and form in the next/previous group (or, with
    ``across="disciplines"``, the next/previous statement of the same group); None at the end."""
    return neighbour(_places(session, STATEMENT_PLACES, statement_id), statement_id, step, across)


def statement_in_group(session: UserSession, statement_id: int, typed: str) -> int | None:
    """The statement of the same discipline and form in the group named ``typed``, or None."""
    return in_group(_places(session, STATEMENT_PLACES, statement_id), statement_id, typed)
