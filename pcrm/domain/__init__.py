"""Pure domain logic: dataclasses and functions with no I/O (scoring, normalisation, validation)."""
