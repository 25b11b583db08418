"""The embedded server runs with what the login guard needs: auth_delay and a JSON log."""

from __future__ import annotations

from typing import Any


def test_server_loads_auth_delay_and_writes_json_log(pg_server: Any) -> None:
    with pg_server.connect_superuser() as conn:
        libraries = conn.execute("SHOW shared_preload_libraries").fetchone()[0]
        destination = conn.execute("SHOW log_destination").fetchone()[0]
        logfile = conn.execute("SELECT pg_current_logfile('jsonlog')").fetchone()[0]
    assert "auth_delay" in libraries
    assert "jsonlog" in destination
    assert logfile and logfile.endswith(".json")
