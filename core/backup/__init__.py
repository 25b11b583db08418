"""Backups (R15): the run (`run`), settings (`config`), copies on disk (`store`), the
manifest, verification and restore, retention, the schedule and the status shown to the admin.
"""
