"""ESCO reference data: readers of the compact copy in data/esco and an idempotent importer."""
