"""The indexes of journal.lesson (migration 0081): each costs an insertion per generated
lesson, so none may be a prefix of another; the foreign keys to the teaching load, the person
who taught and the КТП topic are indexed on the lesson's side."""

from __future__ import annotations

from tests.conftest import FreshDb

INDEXES = """
SELECT i.indexrelid::regclass::text, array_agg(a.attname ORDER BY k.n)
  FROM pg_index i
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k (attnum, n)
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
 WHERE i.indrelid = 'journal.lesson'::regclass AND i.indpred IS NULL
 GROUP BY 1
"""
FOREIGN_KEYS = """
SELECT c.conname, array_agg(a.attname ORDER BY k.n)
  FROM pg_constraint c
  CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k (attnum, n)
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
 WHERE c.conrelid = 'journal.lesson'::regclass AND c.contype = 'f'
 GROUP BY 1
"""


def test_no_index_of_lesson_is_a_prefix_of_another(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        indexes = dict(conn.execute(INDEXES).fetchall())
    assert len(indexes) >= 5
    redundant = [(a, b) for a, cols in indexes.items() for b, other in indexes.items()
                 if a != b and len(cols) <= len(other) and other[:len(cols)] == cols
                 and not a.endswith(("_pkey", "_key"))]
    assert redundant == []


def test_the_lesson_foreign_keys_that_change_are_indexed(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        indexes = dict(conn.execute(INDEXES).fetchall())
        keys = dict(conn.execute(FOREIGN_KEYS).fetchall())
    # all five foreign keys stay; lesson_type and work_kind are fixed lists, never deleted
    assert sorted(keys) == ["lesson_ktp_topic_id_fkey", "lesson_lesson_type_fkey",
                            "lesson_load_id_fkey", "lesson_taught_by_fkey",
                            "lesson_work_kind_fkey"]
    for name in ("lesson_ktp_topic_id_fkey", "lesson_load_id_fkey", "lesson_taught_by_fkey"):
        columns = keys[name]
        assert any(cols[:len(columns)] == columns for cols in indexes.values()), name
