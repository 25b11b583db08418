"""The study calendar: lesson dates from the timetable (R12) and hours held vs planned (R11)."""
