"""Run a command and measure its wall time and the peak memory of its whole process tree."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass

import psutil

_SAMPLE_SECONDS = 0.25
"""A sample costs about 2.4 ms of CPU (it lists every process to find the children): every
50 ms that was 2% of a 2-core machine taken from the run being measured. The process's own
`ru_maxrss` still catches its peak between samples."""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_bytes: int
    exit_code: int

    @property
    def peak_rss_gb(self) -> float:
        return self.peak_rss_bytes / 1e9


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def measure(command: list[str]) -> Measurement:
    """Peak RSS is sampled over the command and all its child processes, summed."""
    started = time.perf_counter()
    process = subprocess.Popen(command)
    watched = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                peak = max(peak, _tree_rss(watched))
            time.sleep(_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    # ru_maxrss (KiB) catches a peak between two samples of the process itself.
    return Measurement(seconds, max(peak, usage.ru_maxrss * 1024), process.returncode)
