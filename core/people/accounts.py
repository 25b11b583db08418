"""Account use-cases for the interfaces: change one's own password, refresh the session."""

from __future__ import annotations

from dataclasses import replace

from core.session import UserSession, fetch_person
from kernel.passwords import check_new_password, derive_password


def change_own_password(session: UserSession, new_password: str) -> None:
    """Set a new password; the session keeps working with the new derived password.

    Raises:
        ValidationError: the new password is too weak.
        EJournalError: the database refused the change.
    """
    from db.accounts import change_own_password as db_change

    login = session.credentials.login
    check_new_password(new_password, login)
    with session.lock:
        db_change(session.conn, login, new_password, session.settings)
        derived = derive_password(login, new_password,
                                  installation_salt=session.settings.auth_salt)
        session.credentials = replace(session.credentials, derived_password=derived)
        session.person = fetch_person(session.conn)
