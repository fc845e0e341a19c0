"""`pcrm version`."""

from __future__ import annotations

from pcrm import __version__
from pcrm.cli import _options as o


def version(json_out: o.Json = False) -> None:
    """Print pcrm's version.

    With --json, the API envelope: the version and what `GET /version` says.

    Example: pcrm version --json
    """
    if not json_out:
        print(__version__)
        return
    from pcrm.cli._output import write_json
    from pcrm.serialize import envelope
    from pcrm.services import idle

    # no store is opened: the version is the package's, and a command that cannot open the store must
    # still say which pcrm it is
    found = idle.version_info()
    write_json(envelope({"version": __version__, **found.data}, found.meta))
