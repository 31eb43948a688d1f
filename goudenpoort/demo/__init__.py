"""The demo dataset: a regional alliance in Overijssel and Gelderland, built deterministically."""
