"""Students, parents and accounts (R13, R20): the group's roster and forms (`roster`), its
SQL (`queries`), one's own password (`accounts`).
"""
