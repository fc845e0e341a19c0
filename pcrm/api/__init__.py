"""The localhost API: a thin Starlette shell over pcrm.services (imported only by the daemon and tests)."""
