"""A group's attendance by day (R2): the curator's day (`day`) and its SQL (`queries`)."""
