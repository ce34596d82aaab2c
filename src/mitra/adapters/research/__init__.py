"""Research files: study declarations, donation packages, withdrawal records (package.py), and
columnar output — Parquet, DuckDB and Spark (columnar.py, loading its libraries lazily)."""
