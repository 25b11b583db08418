"""The journal page (R1–R5, R17): the page as data and its pure edits (`page`), reading and
saving it (`service`, `queries`), the durable outbox and the background saver (`outbox`,
`saver`, `cell_save`), live updates (`sync`), the lesson record (`lesson_record`, R3, R5,
R17) and the office's moves between pages (`moves`).
"""
