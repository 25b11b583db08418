"""Accounts for a whole group in one step (issue 11, item 12).

A curator (their own group), the office or the admin gives an account to every student and
parent of a group who has none. Each account is created by the database's own function
(``journal.create_account`` through :func:`core.people.roster.issue_account`), so the database
decides whom the caller may serve; each starts with a forced password change. Whoever the
database refuses (a parent with a child in another group, for a curator) is listed with the
reason, not skipped silently. Nothing here is repeated for people who already have an account:
a second run issues nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.people.forms import GroupInfo, GroupRoster
from core.people.roster import (
    AccountHolder,
    IssuedAccount,
    account_holder,
    issue_account,
    list_groups,
    read_roster,
)
from core.session import UserSession
from kernel.errors import EJournalError, ValidationError

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Refusal:
    """Someone the database did not give an account to, and why (Russian)."""

    person: str
    role: str
    reason: str


@dataclass(frozen=True)
class GroupIssue:
    """What one run of :func:`issue_group` did.

    Attributes:
        group: The group.
        issued: The accounts created, with their one-time passwords (shown once, never stored).
        refused: People without an account the database would not serve.
        already: How many students and parents of the group had an account before.
    """

    group: GroupInfo
    issued: tuple[IssuedAccount, ...] = ()
    refused: tuple[Refusal, ...] = ()
    already: int = 0
    slips: Path | None = field(default=None)


def without_account(roster: GroupRoster) -> list[AccountHolder]:
    """The students, then the parents, of the roster who have no account yet."""
    ids = [s.person_id for s in roster.students if not s.login]
    ids += [p.person_id for p in roster.parents if not p.login]
    return [account_holder(roster, person_id) for person_id in ids]


NOT_YOURS = ("учётную запись выдаёт учебная часть или заведующий учебной частью (например, "
             "родителю, у которого есть ребёнок в другой группе)")

MAY_MANAGE = "SELECT p, journal.may_manage_account(p) FROM unnest(%s::bigint[]) p"


def issuable(session: UserSession, holders: list[AccountHolder]
             ) -> tuple[list[AccountHolder], list[AccountHolder]]:
    """Split the holders into those the person may give an account to and the rest, as the
    database's own rule says (``journal.may_manage_account``, the check of create_account)."""
    with session.cursor() as cur:
        allowed = {pid for pid, ok in cur.execute(
            MAY_MANAGE, ([h.person_id for h in holders],)).fetchall() if ok}
    return ([h for h in holders if h.person_id in allowed],
            [h for h in holders if h.person_id not in allowed])


def find_group(session: UserSession, name: str) -> GroupInfo:
    """The group of that name among those the person may open (case and spaces ignored).

    Raises:
        ValidationError: no such group for this person.
    """
    wanted = name.strip().casefold()
    for group in list_groups(session):
        if group.name.casefold() == wanted:
            return group
    raise ValidationError(f"Группы «{name}» нет среди групп, которые вам доступны.")


def issue_group(session: UserSession, group: GroupInfo,
                progress: Progress | None = None) -> GroupIssue:
    """Give an account to everyone of the group who has none; return what was done.

    Each account is its own transaction: one refusal does not undo the others, and a run
    stopped halfway is finished by running it again.
    """
    roster = read_roster(session, group)
    everyone = without_account(roster)
    already = len(roster.students) + len(roster.parents) - len(everyone)
    holders, others = issuable(session, everyone)
    issued: list[IssuedAccount] = []
    refused = [Refusal(h.full_name, h.role, NOT_YOURS) for h in others]
    for number, holder in enumerate(holders, start=1):
        if progress is not None:
            progress(number, len(holders), holder.full_name)
        try:
            issued.append(issue_account(session, holder))
        except EJournalError as exc:
            refused.append(Refusal(holder.full_name, holder.role, exc.message))
    return GroupIssue(group, tuple(issued), tuple(refused), already)


def slip_path(folder: str | Path, login: str, now: datetime | None = None) -> Path:
    """``<folder>/vhod-<login>-<date-time>.pdf`` with ``~`` expanded (one person's slip)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return _unused(Path(folder).expanduser() / f"vhod-{login}-{stamp}.pdf")


def group_slips_path(folder: str | Path, group: GroupInfo, now: datetime | None = None) -> Path:
    """``<folder>/vhod-<group>-<date-time>.pdf`` with ``~`` expanded."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in group.name)
    return _unused(Path(folder).expanduser() / f"vhod-{safe}-{stamp}.pdf")


def _unused(path: Path) -> Path:
    """The path, or the path with «-2», «-3»… when a slip of the same second is there already:
    a slip is never overwritten (its one-time passwords would be lost)."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def summary(result: GroupIssue) -> str:
    """A few Russian lines: how many accounts, who was refused and why."""
    from kernel.text import plural

    lines = [f"Группа {result.group.name}: выдано {len(result.issued)} "
             f"{plural(len(result.issued), 'учётная запись', 'учётные записи', 'учётных записей')}"
             f"; уже были у {result.already}."]
    if not result.issued and not result.refused:
        lines.append("Все обучающиеся и родители группы уже имеют учётные записи.")
    elif not result.issued:
        lines.append("Новых учётных записей нет: тем, у кого входа нет, выдать его вы не можете.")
    for refusal in result.refused:
        lines.append(f"Не выдано: {refusal.person} — {refusal.reason}")
    return "\n".join(lines)
