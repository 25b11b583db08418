"""The journal page (R1–R5, R17): the page, picking it, the lesson record and the kind of work."""
