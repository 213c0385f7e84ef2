"""`relog config`: where the thresholds and weights live, and what they are now."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from relog.cli.app import state
from relog.cli.params import JsonOpt
from relog.errors import ConfigError, InputError
from relog.render.console import out, print_json_text, visible

if TYPE_CHECKING:
    from pathlib import Path

    from relog.config import Config

FRESH_HEADER = "# relog settings: change what you like; delete a line to go back to its default.\n"

config_app = typer.Typer(
    help="See and change relog's thresholds and weights.", no_args_is_help=True
)


@config_app.command(name="path")
def config_path_command() -> None:
    """Print the path of the config file (it need not exist: defaults apply)."""
    from relog.paths import config_path

    out().print(str(config_path()), markup=False, soft_wrap=True)


@config_app.command(name="show")
def config_show(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Show every setting in force: your file over the defaults (yours marked)."""
    config = state(ctx).config()
    if json:
        from relog.config import as_json

        print_json_text(as_json(config))
        return
    out().print(_marked(_toml(config), config), markup=False, highlight=False, end="")


KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="A setting as section.key, e.g. pursuit.chase_streak (see relog config show).",
        show_default=False,
    ),
]


@config_app.command(name="get")
def config_get(ctx: typer.Context, key: KeyArg) -> None:
    """Print one setting in force, e.g. relog config get pursuit.chase_streak."""
    section, name = _split(key)
    value = getattr(getattr(state(ctx).config(), section), name)
    out().print("" if value is None else str(value), markup=False, soft_wrap=True)


@config_app.command(name="set")
def config_set(
    key: KeyArg,
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The new value, as in the file: 3, 0.5, ILS; 'default' removes your setting.",
            show_default=False,
        ),
    ],
) -> None:
    """Change one setting in your config file, checked before it is written.

    Example: relog config set attention.cadence_days 14. The file is rewritten
    from its settings, so comments in it are not kept.
    """
    from relog.config import Config, problem
    from relog.paths import config_path

    section, name = _split(key)
    path = config_path()
    data = _read(path)
    settings = data.setdefault(section, {})
    if not isinstance(settings, dict):
        raise ConfigError(
            f"config {path}: {section} is not a section; write it as a [{section}] table"
        )
    if value.strip().casefold() == "default":
        settings.pop(name, None)
    else:
        settings[name] = _typed(value)
    try:
        Config.model_validate(data)
    except ValidationError as error:
        if error.errors()[0]["loc"] in {(section,), (section, name)}:
            raise InputError(problem(error)) from None  # the value given is wrong
        raise ConfigError(f"config {path}: {problem(error)}") from None  # the file already was
    _write(path, tomli_dumps({k: v for k, v in data.items() if v}))
    out().print(f"{key} = {value.strip()} in {path}", markup=False, soft_wrap=True)


def _read(path: Path) -> dict[str, Any]:
    """The settings in the config file at `path` as TOML data, `{}` when there is none."""
    from relog.config import read_config, toml_data

    text = read_config(path)
    return {} if text is None else toml_data(text, f"config {path}")


def add_to_list(section: str, name: str, value: str) -> None:
    """Add `value` to the list setting `section.name` in the config file, unless it is
    there already (`relog sync mail PATH --save`)."""
    from relog.config import Config, problem
    from relog.paths import config_path

    path = config_path()
    data = _read(path)
    settings = data.setdefault(section, {})
    current = getattr(getattr(Config.model_validate(data), section), name)
    if value in current:
        return
    settings[name] = [*current, value]
    try:
        Config.model_validate(data)
    except ValidationError as error:
        raise InputError(problem(error)) from None
    _write(path, tomli_dumps({k: v for k, v in data.items() if v}))
    out().print(f"Saved {value} in {section}.{name} ({path})", markup=False, soft_wrap=True)


def _split(key: str) -> tuple[str, str]:
    from relog.config import did_you_mean, setting_keys

    if key not in setting_keys():
        raise InputError(f"unknown setting {key!r}{did_you_mean(key)}")
    section, _, name = key.partition(".")
    return section, name


def _typed(text: str) -> object:
    """A value as TOML would read it: a number, true/false, else the text."""
    import tomllib

    try:
        return tomllib.loads(f"v = {text.strip()}")["v"]
    except (ValueError, RecursionError):  # not TOML (TOMLDecodeError), too long, too deep
        return text.strip()


def _described(body: str) -> str:
    """The TOML text with each setting's description as a comment above it."""
    from relog.config import described, sections

    fields = {name: described(kind) for name, kind in sections().items()}
    lines, section = [], ""
    for line in body.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        key = line.removeprefix("# ").partition("=")[0].strip()
        field = fields.get(section, {}).get(key)
        if field is not None and field.metadata["description"]:
            lines.append(f"# {field.metadata['description']}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _marked(body: str, config: Config) -> str:
    """The TOML text with each setting that differs from its default marked as yours."""
    from relog.config import Config as Defaults

    defaults = Defaults().as_dict()
    mine = config.as_dict()
    lines, section = [], ""
    for line in body.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        key = line.removeprefix("# ").partition("=")[0].strip()
        changed = (
            section
            and key in mine.get(section, {})
            and (mine[section][key] != defaults[section][key])
        )
        was = defaults[section][key] if changed else None
        lines.append(
            f"{line}  # yours (default: {'none' if was is None else was})" if changed else line
        )
    return "\n".join(lines) + "\n"


def tomli_dumps(data: dict[str, object]) -> str:
    import tomli_w

    return tomli_w.dumps(data)


def _write(path: Path, text: str, *, replace: bool = True) -> None:
    """Write the config whole or not at all, readable by its owner only.

    The text goes to a temporary file beside it, which then takes the config's
    name: a full disk or a kill leaves the config as it was, never an empty or
    half-written one. Without `replace`, a config already there is refused.
    """
    import tempfile
    from pathlib import Path

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-")
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # refuses, and leaves alone, a config that appeared meanwhile
    except FileExistsError:
        raise InputError(f"{path} already exists; edit it, or remove it to start again") from None
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


@config_app.command(name="init")
def config_init() -> None:
    """Write a config file with every default, to edit (refuses to overwrite one)."""
    from relog.paths import config_path

    path = config_path()
    if path.exists():
        raise InputError(f"{path} already exists; edit it, or remove it to start again")
    _write(path, _fresh(), replace=False)
    out().print(f"Wrote {path}", markup=False, soft_wrap=True)


@config_app.command(name="edit")
def config_edit() -> None:
    """Edit your config file in your editor ($VISUAL or $EDITOR), checked before it is saved.

    Without a file yet, you start from every default with its description. A
    file with a mistake is not saved: you are asked to edit it again (in a
    terminal), or it is refused and your file stays as it was.
    """
    import sys
    import tempfile
    from pathlib import Path

    from relog.cli.editor import run_editor
    from relog.config import read_config
    from relog.paths import config_path

    path = config_path()
    before = read_config(path)
    if before is None:
        before = _fresh()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".config-edit-", suffix=".toml")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(before)
    except OSError as error:
        raise ConfigError(f"cannot copy config {path}: {error.strerror}") from None
    draft = Path(name)
    try:
        while True:
            run_editor(draft)
            after = draft.read_text(encoding="utf-8", errors="replace")
            if after == before and path.exists():
                out().print("No change.", markup=False)
                return
            mistake = _mistake_in(after)
            if mistake is None:
                os.replace(draft, path)
                out().print(f"Saved {path}", markup=False, soft_wrap=True)
                return
            again = visible(f"{mistake}. Edit again?")
            if not sys.stdin.isatty() or not typer.confirm(again, default=True):
                raise ConfigError(f"{mistake}; {path} was not changed")
    finally:
        draft.unlink(missing_ok=True)


def _mistake_in(text: str) -> str | None:
    """What is wrong with a config file's text, in one line; None when it is right."""
    from relog.config import Config, problem, toml_data

    try:
        Config.model_validate(toml_data(text, "the file"))
    except ConfigError as error:
        return str(error)
    except ValidationError as error:
        return problem(error)
    return None


def _fresh() -> str:
    """A new config file's text: every default, each with its description."""
    from relog.config import Config

    return FRESH_HEADER + _described(_toml(Config()))


def _toml(config: Config) -> str:
    """The settings as TOML; a setting that is unset (TOML has no null) as a hint in a comment."""
    import tomli_w

    from relog.config import described

    settings = config.as_dict()
    lines = tomli_w.dumps(
        {
            name: {k: v for k, v in section.items() if v is not None}
            for name, section in settings.items()
        }
    ).splitlines()
    for name, section in settings.items():
        unset = [
            f"# {key} = {tomli_w.dumps({key: example}).partition('= ')[2].strip()}"
            for key, field in described(type(getattr(config, name))).items()
            if section[key] is None and (example := field.metadata["example"]) is not None
        ]
        if unset:
            at = lines.index(f"[{name}]") + 1
            lines[at:at] = unset
    return "\n".join(lines) + "\n"
