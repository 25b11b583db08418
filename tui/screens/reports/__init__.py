"""The «Отчёты» section: filling control and remarks, performance, attendance, program."""
