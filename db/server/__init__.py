"""The embedded PostgreSQL server (R15 backups run against it too): the launcher (`launcher`),
its binaries (`bins`), data folder and pid files (`files`), `initdb` (`init`), the system
account it runs under as root (`account`) and the postmaster process (`process`).
"""
