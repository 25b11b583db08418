"""The machine's slots (kernel.slots): at most ``count`` holders across processes, a slot freed
the moment its holder dies, and a wait that gives up instead of refusing."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
import uuid
from typing import Any

import pytest

from kernel.passwords import PROFILES, derive_password
from kernel.slots import machine_slot

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
FORK = mp.get_context("fork")


def _hold(name: str, count: int, ready: Any, release: Any) -> None:
    with machine_slot(name, count, wait_s=1) as held:
        assert held
        ready.set()
        release.wait(30)


def _holder(name: str, count: int) -> tuple[Any, Any]:
    ready, release = FORK.Event(), FORK.Event()
    process = FORK.Process(target=_hold, args=(name, count, ready, release))
    process.start()
    assert ready.wait(10), "the holder did not get its slot"
    return process, release


def test_a_slot_held_by_another_process_is_waited_for_then_taken() -> None:
    name = uuid.uuid4().hex
    process, release = _holder(name, 1)
    started = time.monotonic()
    releaser = FORK.Process(target=lambda: (time.sleep(0.5), release.set()))
    releaser.start()
    with machine_slot(name, 1, wait_s=10) as held:
        waited = time.monotonic() - started
    for done in (process, releaser):
        done.join(10)
    assert held and 0.4 < waited < 5, f"waited {waited:.2f} s"


def test_two_slots_admit_two_and_the_third_waits() -> None:
    name = uuid.uuid4().hex
    holders = [_holder(name, 2) for _ in range(2)]
    started = time.monotonic()
    with machine_slot(name, 2, wait_s=0.3) as held:
        assert not held   # both taken: after the wait it runs without one
    assert time.monotonic() - started >= 0.3
    for process, release in holders:
        release.set()
        process.join(10)
    with machine_slot(name, 2, wait_s=0) as held:
        assert held


def test_a_killed_holder_frees_its_slot_at_once() -> None:
    name = uuid.uuid4().hex
    process, _release = _holder(name, 1)
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    started = time.monotonic()
    with machine_slot(name, 1, wait_s=5) as held:
        assert held
    assert time.monotonic() - started < 0.5


def test_the_derivation_waits_for_a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """A derivation runs in a slot of the machine's «argon2» slots: with all of them held
    elsewhere it waits (and after the wait runs anyway, giving the same password)."""
    monkeypatch.setattr("kernel.passwords.cores", lambda: 1)
    monkeypatch.setattr("kernel.passwords.SLOT_WAIT_S", 0.5)
    cheap = PROFILES["test"]
    expected = derive_password("ivanova.ma", "пароль-1", installation_salt="s", profile=cheap)
    process, release = _holder("argon2", 1)
    try:
        started = time.monotonic()
        derived = derive_password("ivanova.ma", "пароль-1", installation_salt="s", profile=cheap)
        assert time.monotonic() - started >= 0.5
        assert derived == expected
    finally:
        release.set()
        process.join(10)
