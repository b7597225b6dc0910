"""Spreadsheet imports (CSV/XLSX): parsing, column mapping and presets, a dry run, then ingest's semantics row by row."""
