"""Connecting: what a person is told when the server does not answer in time."""

from __future__ import annotations

import socket
import threading

import psycopg
import pytest

from db.connect import CONNECT_TIMEOUT_S, _login_error
from kernel.errors import ServerError


def test_a_server_that_does_not_answer_in_time_is_called_slow_not_down() -> None:
    """A login storm kept the server from answering within the timeout; the person was told
    the server was down. A real timeout from a listener that never speaks is said as such."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
    thread.start()
    try:
        with pytest.raises(psycopg.OperationalError) as caught:
            psycopg.connect(host="127.0.0.1", port=port, user="x", dbname="x", connect_timeout=1,
                            sslmode="disable")
        error = _login_error(caught.value)
    finally:
        silent.close()
        for conn in accepted:
            conn.close()
    assert isinstance(error, ServerError)
    assert f"не ответил за {CONNECT_TIMEOUT_S} с" in error.message
    assert CONNECT_TIMEOUT_S >= 15
