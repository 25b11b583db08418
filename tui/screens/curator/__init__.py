"""The curator's screens (R2, R13, R20): the day's attendance, the group's students and
parents, their forms and the accounts issued.
"""
