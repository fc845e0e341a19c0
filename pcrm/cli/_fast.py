"""Start-up time: run the Typer app without paying for the commands that will not run.

Two costs dominate a `pcrm ...` process before any pcrm code runs (bench/cli_timing.py measures them):

1. Typer builds the click object of every command of every group (signature and annotation
   introspection, ~0.5-2 ms each; pcrm has over a hundred) before parsing argv. `lean_app` hands Typer a
   copy of the app holding only the path argv names (`contacts` > `list`, without the root's own
   commands); for the top-level help it keeps every group but empty (their names and help are all the
   listing shows).
2. Typer 0.29 coerces every non-flag option through a pydantic TypeAdapter, even when the option was
   not given, so any command with an option imports pydantic and builds one adapter per option.
   `install_fast_coercion` answers the plain cases (a str that is already a str, a bool that is a bool,
   an int written as digits within its min/max, a float, a list of str) directly, and hands every other
   value and type, including every value that would be refused, to Typer's own coercion, so results and
   error messages stay Typer's.

Both depend on Typer internals, so they are used only with the Typer series they were written for
(pyproject pins typer 0.29.*); with any other version the app runs exactly as Typer builds it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, get_args

import typer

_SUPPORTED = typer.__version__.startswith("0.29.")
_HELP = ("-h", "--help")


def _command_name(info: Any) -> str | None:
    if info.name:
        return str(info.name)
    callback = info.callback
    return callback.__name__.lower().replace("_", "-") if callback is not None else None


def _group_name(info: Any) -> str | None:
    name = info.name
    if not name and info.typer_instance is not None:
        name = info.typer_instance.info.name
    return name if isinstance(name, str) and name else None


def _emptied(info: Any) -> Any:
    """A group with the same name, help and callback but no commands: enough for the parent's listing."""
    stub = copy.copy(info)
    inst = copy.copy(info.typer_instance)
    inst.registered_commands = []
    inst.registered_groups = []
    stub.typer_instance = inst
    return stub


def _lean_group(info: Any, args: list[str]) -> Any:
    """This group as the rest of argv will use it: only the sub-command or sub-group named next, else all."""
    inst = info.typer_instance
    groups = inst.registered_groups
    names = [_group_name(g) for g in groups]
    commands = [_command_name(c) for c in inst.registered_commands]
    first = args[0] if args else None
    if first is None or None in names or None in commands or first not in (*names, *commands):
        return info
    lean = copy.copy(inst)
    if first in names:
        lean.registered_groups = [
            _lean_group(g, args[1:]) for g, n in zip(groups, names, strict=False) if n == first
        ]
        lean.registered_commands = []
    else:
        lean.registered_groups = []
        lean.registered_commands = [
            c for c, n in zip(inst.registered_commands, commands, strict=False) if n == first
        ]
    out = copy.copy(info)
    out.typer_instance = lean
    return out


def lean_app(app: typer.Typer, args: list[str]) -> typer.Typer:
    """The app to run for these arguments: `app` itself, or a copy without the groups that cannot run.

    Only the first argument decides (the root takes no options besides --help). Anything unexpected
    (an unknown name, a group without a name) gets the full app, so errors and suggestions are
    Typer's own.
    """
    if not _SUPPORTED:
        return app
    groups = app.registered_groups
    names = [_group_name(g) for g in groups]
    commands = [_command_name(c) for c in app.registered_commands]
    if None in names or None in commands or len(commands) < 2:
        return app  # Typer treats one lone command differently; keep its behaviour
    first = args[0] if args else None
    root_commands = app.registered_commands
    if first in names:
        keep = [_lean_group(g, args[1:]) for g, n in zip(groups, names, strict=False) if n == first]
        root_commands = []  # the root's own commands (init, serve, version, ...) cannot run
    elif first in commands:
        # only this command, and one emptied group so that Typer still builds a group (with a lone
        # command and no group it would run that command without its name)
        keep = [_emptied(groups[0])] if groups else []
        root_commands = [c for c, n in zip(root_commands, commands, strict=False) if n == first]
        if not keep:
            root_commands = app.registered_commands
    elif first is None or first in _HELP:
        keep = [_emptied(g) for g in groups]
    else:
        return app
    lean = copy.copy(app)
    lean.registered_groups = keep
    lean.registered_commands = root_commands
    return lean


_DIGITS = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")

if _SUPPORTED:
    from typer import _coercion
    from typer import core as _core

    _typer_build = _coercion.build_runtime_param

    @dataclass(frozen=True)
    class _PlainParam(_coercion.RuntimeParam):
        """str / bool / int / float / list[str] without parser: the values Typer would return unchanged."""

        kind: str
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            out = self._plain(value)
            if out is not None:
                return out
            return _typer_build(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

        def _plain(self, value: Any) -> Any:
            kind = self.kind
            if kind == "str":
                return value if type(value) is str else None
            if kind == "bool":
                return value if type(value) is bool else None
            if kind == "list[str]":
                if isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
                    return list(value)
                return None
            info = self.parameter_info
            if info.clamp:
                return None
            if kind == "int":
                if type(value) is int:
                    number: Any = value
                elif type(value) is str and _DIGITS.fullmatch(value):
                    number = int(value)
                else:
                    return None
            else:  # float
                if type(value) is float:
                    number = value
                elif type(value) is str and _DECIMAL.fullmatch(value):
                    number = float(value)
                else:
                    return None
            if info.min is not None and number < info.min:
                return None
            if info.max is not None and number > info.max:
                return None
            return number

    def _kind(descriptor: Any) -> str | None:
        info = descriptor.parameter_info
        if info.parser is not None or descriptor.file_annotation is not None or descriptor.is_path:
            return None
        ann = descriptor.annotation
        if ann is str or ann is int or ann is float or ann is bool:
            return ann.__name__
        if descriptor.is_list and get_args(ann) == (str,):
            return "list[str]"
        return None

    def _build_runtime_param(descriptor: Any) -> Any:
        kind = _kind(descriptor)
        if kind is None or descriptor.is_choice:
            return _typer_build(descriptor)
        return _PlainParam(
            annotation=descriptor.annotation,
            parameter_info=descriptor.parameter_info,
            kind=kind,
            descriptor=descriptor,
        )


def install_fast_coercion() -> None:
    """Route Typer's parameter coercion through `_PlainParam` for the plain cases (idempotent)."""
    if _SUPPORTED:
        _core.build_runtime_param = _build_runtime_param
