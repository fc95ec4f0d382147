"""PySpark as the engine, for data that outgrows one machine's DuckDB.

Inputs are staged as Parquet files (Spark reads files, not Python streams); outputs are
folders of part files, as Spark writes them.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from partnercredit.engine.backend import Backend, EngineName, EngineOptions
from partnercredit.errors import UsageError


class SparkBackend(Backend):
    name: EngineName = "spark"

    def __init__(self, options: EngineOptions) -> None:
        super().__init__(options)
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise UsageError(
                "the spark engine needs PySpark: pip install 'partnercredit[spark]'"
            ) from None
        builder: Any = SparkSession.builder
        builder = (
            builder.master(f"local[{options.threads or '*'}]")
            .appName("partnercredit")
            .config("spark.sql.session.timeZone", "UTC")
            # Exact decimals: fail rather than silently drop digits.
            .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
            .config("spark.sql.ansi.enabled", "true")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.local.dir", str(self.scratch / "spill"))
            .config("spark.sql.warehouse.dir", str(self.scratch / "warehouse"))
        )
        if options.memory_limit:
            builder = builder.config("spark.driver.memory", options.memory_limit)
        self.session = builder.getOrCreate()
        self.con = ibis.pyspark.connect(self.session)

    def ingest_batches(self, stem: str, reader: pa.RecordBatchReader) -> ir.Table:
        name = self.fresh_name(stem)
        path = self.scratch / "staged" / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        return self.con.read_parquet(str(path), table_name=name)

    def materialize(self, stem: str, expr: ir.Table) -> ir.Table:
        path = self.scratch / "materialized" / self.fresh_name(stem)
        self.con.to_parquet(expr, str(path))
        return self.con.read_parquet(str(path), table_name=path.name)

    def close(self) -> None:
        self.session.stop()
        super().close()
