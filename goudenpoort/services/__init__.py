"""Use cases as plain typed functions: session first, keyword arguments; flush, never commit."""
