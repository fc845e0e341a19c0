"""`pcrm extension pair CODE | status | disconnect`: pairing the browser extension [extension-pairing]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, moment, run
from pcrm.domain.wording import counted
from pcrm.services import extension

app = typer.Typer(
    help="Pair the browser extension with pcrm, see the pairing, disconnect it.", no_args_is_help=True
)

Code = Annotated[str, typer.Argument(help="The code the extension's popup shows, e.g. PING-7KQ2MX.")]


def _paired(result: Any) -> None:
    err().print(
        "code accepted: the extension picks up its token within a few seconds (keep `pcrm serve` running; "
        f"the code is held until {moment(result.meta['expires_at'])}).",
        markup=False,
    )


@app.command("pair")
def pair(code: Code, json_out: o.Json = False, now: o.Now = None) -> None:
    """Accept the pairing code the extension shows; the extension then collects a 30-day token from the
    daemon (`pcrm serve`) and renews it silently.

    Example: pcrm extension pair PING-7KQ2MX
    """
    run(Opts(json_out, now=now, render=_paired), extension.pair, {"code": code})


def _status(result: Any) -> None:
    d = result.data
    if d["paired"]:
        print(f"paired since {moment(d['paired_at'])}")
    else:
        print("not paired: run `pcrm extension pair CODE` with the code the extension's popup shows")
    if d["pending_codes"]:
        print(f"{counted(d['pending_codes'], 'code')} waiting for the extension to collect them")


@app.command("status")
def status(json_out: o.Json = False, now: o.Now = None) -> None:
    """Whether the extension is paired, and since when.

    Example: pcrm extension status --json
    """
    run(Opts(json_out, now=now, render=_status), extension.status)


def _gone(result: Any) -> None:
    if not result.meta.get("was_paired") and not result.meta.get("codes_removed"):
        err().print("the extension was not paired: nothing to disconnect.", markup=False)
        return
    err().print(
        "extension disconnected: its tokens no longer work; pair it again to reconnect.", markup=False
    )


@app.command("disconnect")
def disconnect(json_out: o.Json = False, now: o.Now = None) -> None:
    """Disconnect the extension: forget its codes and retire every token it holds.

    Example: pcrm extension disconnect
    """
    run(Opts(json_out, now=now, render=_gone), extension.disconnect)
