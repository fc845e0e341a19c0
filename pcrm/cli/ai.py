"""`pcrm ai compose | classify | models | key`: AI through `llm` [ai-models]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._ai_render import dry_run, either
from pcrm.cli._output import Opts, Ref, confirm, emit, fail, out, run
from pcrm.errors import PcrmError
from pcrm.services import contacts
from pcrm.services.ai import compose as ai_compose
from pcrm.services.ai import events, keys
from pcrm.services.context import Result

app = typer.Typer(
    help="AI drafts and classification through any `llm` model; keys for models.", no_args_is_help=True
)
key_app = typer.Typer(help="Keys for llm models, kept in pcrm's secret store.", no_args_is_help=True)
app.add_typer(key_app, name="key")

Contact = o.Contact


def _draft(result: Any) -> None:
    d = result.data
    # the model's words (read from contact text): printed as written, never as markup [terminal-text]
    out().print(d["suggested_message"], highlight=False, markup=False)
    how = f"model {result.meta['model']}" if result.meta.get("model") else "template (no AI model answered)"
    from pcrm.cli._output import err

    err().print(f"[dim]channel: {d['suggested_channel']} · {how}[/]")
    if result.meta.get("note"):  # a channel the contact cannot be reached on [suggestion-drafts]
        from rich.markup import escape

        err().print(f"[yellow]note:[/] {escape(result.meta['note'])}", soft_wrap=True)


@app.command("compose")
def compose(
    contact: Contact,
    channel: Annotated[
        str | None, typer.Option("--channel", help="email, telegram, twitter, linkedin, whatsapp")
    ] = None,
    dry_run_: o.DryRun = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Draft a follow-up message (POST /contacts/{id}/compose). --dry-run prints the exact prompt.

    Example: pcrm ai compose "Ada Lovelace" --channel email --dry-run
    """
    body = {"channel": channel} if channel else {}
    run(
        Opts(json_out, now=now, render=either(_draft)),
        ai_compose.compose,
        Ref(contacts.resolve_ref, contact),
        body,
        dry_run=dry_run_,
    )


def _classified(result: Any) -> None:
    d = result.data
    stored = " (stored as a detected event)" if d.get("event_id") else ""
    from rich.markup import escape

    summary = escape(d["summary"] or "-")  # the model's words, from the user's text: never markup
    out().print(f"{escape(d['event_type'])} · confidence {d['confidence']:.2f} · {summary}{stored}")


@app.command("classify")
def classify(
    contact: Contact,
    field: Annotated[
        str, typer.Option("--field", help="twitter_bio, telegram_bio, linkedin_bio or linkedin_headline")
    ],
    old: Annotated[str, typer.Option("--old", help="The text before the change.")],
    new: Annotated[
        str | None, typer.Option("--new", help="The text after (default: the current value).")
    ] = None,
    dry_run_: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Classify a bio or headline change (job change, fundraising, ...); confident ones are stored as
    detected events.

    Example: pcrm ai classify "Ada Lovelace" --field linkedin_headline --old "Engineer at Acme" --dry-run
    """
    run(
        Opts(json_out, render=either(_classified)),
        events.classify,
        Ref(contacts.resolve_ref, contact),
        field,
        old,
        new,
        dry_run=dry_run_,
    )


def _models(result: Any) -> None:
    from rich.markup import escape

    for f in result.data:
        model = f["model"] or "(none: " + ("template" if f["feature"] == "compose" else "off") + ")"
        # the model id is the user's own text: never markup
        out().print(f"{f['feature']:<8} {escape(model)}  [dim]{f['setting']}[/]", highlight=False)


@app.command("models")
def models_(json_out: o.Json = False) -> None:
    """Which llm model each AI feature uses, and the setting that chose it.

    Example: pcrm ai models
    """
    run(Opts(json_out, render=_models), keys.feature_models)


@key_app.command("set")
def key_set(
    name: Annotated[
        str, typer.Argument(help="The key's name in llm (`openai`, `anthropic`, `gemini`, ...).")
    ],
    json_out: o.Json = False,
) -> None:
    """Store a model key in pcrm's secret store; it is asked for at the terminal (or read from stdin).

    Example: pcrm ai key set openai
    """
    import sys

    value = (
        typer.prompt(f"Key for {name}", hide_input=True, err=True)
        if sys.stdin.isatty()
        else sys.stdin.readline()
    )
    try:
        emit(
            Result(keys.set_key(name, value)),
            json_out=json_out,
            render=lambda r: out().print(f"key {r.data['name']} stored"),  # the name it is stored as
        )
    except PcrmError as e:
        fail(e, json_out)


@key_app.command("rm")
def key_rm(
    name: Annotated[str, typer.Argument(help="The key's name in llm.")],
    yes: o.Yes = False,
    json_out: o.Json = False,
) -> None:
    """Forget a model key (asks first; --yes when not at a terminal).

    Example: pcrm ai key rm openai --yes
    """
    try:
        # no key, nothing to forget: said without a question to answer or refuse (as `secrets rm` does)
        if keys.has_key(name):
            confirm(yes, f"Forget the {keys.key_name(name)} key?")  # the name it is stored as
        emit(
            Result(keys.delete_key(name)),
            json_out=json_out,
            render=lambda r: out().print(
                f"key {r.data['name']} {'removed' if r.data['deleted'] else 'was not stored'}"
            ),
        )
    except PcrmError as e:
        fail(e, json_out)


__all__ = ["app", "dry_run"]
