"""SQL that names a teaching load, shared by the queries of the journal, statements and printouts.

No psycopg here: the pure rule modules that hold SQL text (core.statements.queries) use it too.
"""

from __future__ import annotations

LOAD_NAMES = """
  JOIN journal.study_group g ON g.id = t.group_id
  JOIN journal.discipline d ON d.id = t.discipline_id
  JOIN journal.period p ON p.id = t.period_id
  JOIN journal.academic_year y ON y.id = p.year_id
  LEFT JOIN journal.subgroup sg ON sg.id = t.subgroup_id"""
"""What names a teaching load ``t``: its group ``g``, discipline ``d``, period ``p``, year ``y``
and subgroup ``sg`` (none when the load is the whole group's): ``FROM … t{LOAD_NAMES}``."""
