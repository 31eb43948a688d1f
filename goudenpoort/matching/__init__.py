"""The engine: numpy, scipy and scikit-learn only; no Flask, no SQLAlchemy, no ORM models.

It takes and returns frozen dataclasses, so it can be tested and benchmarked on its own.
"""
