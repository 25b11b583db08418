"""What a student, or a parent about a child, reads in the journal (R10, R20)."""
