"""The cluster around the journal's database (issue 10).

Item 1: one `SELECT lo_creat(-1)` by a student broke every backup (the backup role may not
read a large object it does not own).
"""

from __future__ import annotations

import psycopg
import pytest

from core.backup import run_backup
from tests.backup.conftest import backup_env  # noqa: F401  (fixture)
from tests.security.conftest import make_account, make_person
from tests.security.world import World

LARGE_OBJECT_MAKERS = ("SELECT lo_creat(-1)", "SELECT lo_create(0)",
                       "SELECT lo_from_bytea(0, '\\x00')", "SELECT lo_import('/etc/hostname')")


@pytest.mark.parametrize("who", ["student", "parent", "teacher", "admin"])
def test_persons_cannot_create_large_objects(world: World, su, login_as, who: str) -> None:
    conn = login_as(who)
    for query in LARGE_OBJECT_MAKERS:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query)
    assert su.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone() == (0,)


def test_a_large_object_does_not_break_the_backup(backup_env) -> None:  # noqa: F811
    with backup_env.db.connect() as su:
        login = make_account(su, make_person(su, ["student"]))
        oid = su.execute("SELECT lo_from_bytea(0, 'чужое')").fetchone()[0]
        su.execute(f'ALTER LARGE OBJECT {int(oid)} OWNER TO "{login}"')
    run = run_backup(backup_env.settings, policy=backup_env.policy)
    assert run.ok and run.written == 2, run
