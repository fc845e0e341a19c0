"""AI features through `llm` [ai-models]: compose, extract-bio, the tag taxonomy and auto-tag, and the
classification of bio and headline changes.

`models.py` is the only module that imports llm (lazily, inside the functions that call a model); the
prompts themselves are pure functions in pcrm/domain/prompts.py, so `--dry-run` and the tests read the
exact text without a model.
"""
