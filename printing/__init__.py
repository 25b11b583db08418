"""Printouts: PDF pages (reportlab) and terminal text tables (tabulate) of ``core.printouts.form*``.

Each PDF module has ``render_<kind>(data, path) -> int`` (pages written) and
``<kind>_page_count(data) -> int`` (pages it would take, nothing written):

- ``printing.journal``: ``render_journal(GroupJournal, path)`` — the group's journal (R22);
- ``printing.summary``: ``render_summary(SummaryStatement, path)`` — сводная ведомость (R22);
- ``printing.statement``: ``render_statement(AttestationStatement, path)`` — ведомость (R6);
- ``printing.student_report``: ``render_student_report(StudentReport, path)`` — for parents
  (R20);
- ``printing.slips``: ``render_slips(CredentialSlips, path)`` — first-login slips.

Every printout carries the college name on each page, «Стр. N из M» and, at its end, the
block for the director's signature, its transcript, the date and «М. П.» (``printing.layout``).
``printing.text_tables`` gives the same content as text for the terminal. This package never
imports Textual or the database.
"""
