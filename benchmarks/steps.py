"""Where the time of one complete run goes: every engine step, timed.

`python -m benchmarks.steps DATA_DIR OUT_DIR [MEMORY_LIMIT]`

Runs `partnercredit.core.run` on DuckDB with default settings (or that memory limit, e.g.
5GB) and prints, in order, each
phase the run reports and each engine step that takes a measurable time (a table
materialized, a Parquet file written, a result fetched), with its wall time and the cores it
kept busy on average (CPU time of the process / wall time).
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partnercredit import core
from partnercredit.engine.backend import DuckDBBackend, EngineOptions
from partnercredit.messages import Phase

_SHOWN_FROM_SECONDS = 0.5


def _timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
    def run_step(backend: DuckDBBackend, first: Any, *rest: Any, **options: Any) -> Any:
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        result = step(backend, first, *rest, **options)
        seconds = time.perf_counter() - started
        if seconds >= _SHOWN_FROM_SECONDS:
            cores = (_cpu_seconds() - cpu_started) / seconds
            # materialize(stem, ...), write_parquet(expr, path, ...), to_arrow(expr)
            label = first if isinstance(first, str) else getattr(next(iter(rest), None), "name", "")
            print(f"    {seconds:7.1f} s  {cores:4.1f} cores  {name} {label}", flush=True)
        return result

    return run_step


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    data_dir, out_dir = (Path(arg) for arg in sys.argv[1:3])
    engine = EngineOptions(memory_limit=sys.argv[3]) if len(sys.argv) > 3 else None
    for name in ("materialize", "write_parquet", "to_arrow"):
        setattr(DuckDBBackend, name, _timed(name, getattr(DuckDBBackend, name)))
    started = time.perf_counter()

    def on_phase(phase: Phase) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  {phase}", flush=True)

    core.run(data_dir, out_dir, engine=engine, on_phase=on_phase)
    print(f"{time.perf_counter() - started:7.1f} s  done", flush=True)


if __name__ == "__main__":
    main()
