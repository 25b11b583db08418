"""The administrator's screens: backups (R15), the year-end archive (R16), printing (R22)."""
