"""The relational engine: an Ibis backend (DuckDB by default, PySpark optional) and the
exact-arithmetic helpers every stage shares."""

from partnercredit.engine.backend import Backend, EngineOptions, open_backend

__all__ = ["Backend", "EngineOptions", "open_backend"]
