"""Pure file-format parsers (and the vCard writer): bytes in, `pcrm.domain.records` out.

They import only `domain/` and the leaf modules, never the store, the settings or the services, so an
import, a sync source or a test can run them on a file alone. `base.py` holds the contract every format
fulfils; the registry that picks one for a file, and the writing, live in `pcrm.services.imports`.
"""
