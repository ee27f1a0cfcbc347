"""hardware/README.md and wiring.svg: every command, link and config snippet they show works."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "hardware" / "README.md"
SVG = REPO / "hardware" / "wiring.svg"

SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
OPERATORS = {";", "&&", "||", "|", "&", "(", ")"}
# Words that run the command after them (with their own options first).
WRAPPERS = {"sudo": {"-u", "-g", "-D", "-C", "-h", "-p", "-U"}, "env": set(), "exec": set()}


def build_parser() -> argparse.ArgumentParser:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from trainer.cli import build_parser

    return build_parser()


def subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("trainer's parser has no subcommands")


def code_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(language, body) of every fenced block, list-indented ones included."""
    for match in re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", text, re.M | re.S):
        yield match.group(2), match.group(3)


def shell_lines(text: str, *, blocks: bool) -> Iterator[str]:
    """Lines of shell in fenced shell blocks, or (``blocks=False``) inline code spans."""
    if blocks:
        for language, body in code_blocks(text):
            if language in SHELL_LANGUAGES:
                yield from body.splitlines()
    else:
        prose = re.sub(r"^( *)```.*?^\1```", "", text, flags=re.M | re.S)
        yield from re.findall(r"`([^`\n]+)`", prose)


def trainer_invocations(text: str, *, blocks: bool = True) -> list[list[str]]:
    """The arguments of every `trainer ...` command shown, e.g. ["pedal-test", "--pin", "27"].

    ``blocks=True``: commands in shell blocks, to be run as they are; ``False``:
    inline code spans, which may name a command without its arguments.
    """
    found = []
    for line in shell_lines(text, blocks=blocks):
        line = line.strip().removeprefix("$ ")
        if not line or line.startswith("#") or "trainer" not in line:
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:
            assert not line.startswith("trainer "), f"cannot parse {line!r}"
            continue
        command: list[str] = []
        for token in [*tokens, ";"]:
            if token not in OPERATORS:
                command.append(token)
                continue
            args = _strip_wrappers(command)
            command = []
            is_trainer = bool(args) and (args[0] == "trainer" or args[0].endswith("/bin/trainer"))
            if is_trainer and args[1:]:
                found.append(args[1:])
    return found


def _strip_wrappers(tokens: list[str]) -> list[str]:
    tokens = list(tokens)
    while tokens:
        word = tokens[0]
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word):
            tokens.pop(0)
        elif word in WRAPPERS:
            tokens.pop(0)
            while tokens and tokens[0].startswith("-"):
                option = tokens.pop(0)
                if option in WRAPPERS[word] and tokens:
                    tokens.pop(0)
        else:
            break
    return tokens


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text()


def test_readme_names_the_checking_commands(readme: str) -> None:
    shown = trainer_invocations(readme) + trainer_invocations(readme, blocks=False)
    assert {"pedal-test", "audio-test", "validate", "kiosk"} <= {args[0] for args in shown}


def test_every_trainer_command_in_the_readme_exists(readme: str) -> None:
    known = subcommands(build_parser())
    shown = trainer_invocations(readme) + trainer_invocations(readme, blocks=False)
    assert len(shown) >= 15
    for args in shown:
        command = next(arg for arg in args if not arg.startswith("-"))
        assert command in known, f"`trainer {' '.join(args)}`: no subcommand {command!r}"


def test_every_trainer_command_line_in_the_readme_parses(readme: str) -> None:
    parser = build_parser()
    # Inline spans with arguments are complete commands too; bare ones only name one.
    inline = [args for args in trainer_invocations(readme, blocks=False) if len(args) > 1]
    invocations = trainer_invocations(readme) + inline
    assert len(invocations) >= 8
    for args in invocations:
        errors = io.StringIO()
        try:
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                parser.parse_args(args)
        except SystemExit as exc:
            assert exc.code == 0, f"`trainer {' '.join(args)}`: {errors.getvalue()}"


def test_the_extractor_sees_commands_the_way_a_shell_would() -> None:
    text = (
        "Run `trainer pedal-test`, not the `trainer` user or `trainer-kiosk.service`.\n"
        "```sh\n"
        "cd /var/lib/trainer && sudo -u trainer trainer audio-test --config /etc/x.toml\n"
        "TRAINER_PEDAL=mock /opt/trainer/venv/bin/trainer kiosk\n"
        "# trainer nonsense in a comment\n"
        "```\n"
        "```toml\n[keys]\ntrainer = 1\n```\n"
    )
    assert trainer_invocations(text) == [
        ["audio-test", "--config", "/etc/x.toml"],
        ["kiosk"],
    ]
    assert trainer_invocations(text, blocks=False) == [["pedal-test"]]


def test_shell_blocks_are_valid_shell(readme: str) -> None:
    for language, body in code_blocks(readme):
        if language in SHELL_LANGUAGES:
            result = subprocess.run(
                ["bash", "-n"], input=body, capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, f"{body}\n{result.stderr}"


def test_toml_snippets_parse_and_use_known_settings(readme: str) -> None:
    snippets = [tomllib.loads(body) for language, body in code_blocks(readme) if language == "toml"]
    assert snippets, "the README shows no config snippets"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    pedal = pytest.importorskip("trainer.adapters.pedal")
    audio = pytest.importorskip("trainer.adapters.audio")
    for snippet in snippets:
        # Each part parses its own section and rejects unknown settings.
        pedal.PedalSettings.from_sources(snippet.get("pedal", {}), {}, None)
        pedal.KeyMap.from_config(snippet.get("keys", {}))
        audio.AudioSettings.from_section(snippet.get("audio", {}))
        assert set(snippet) <= {"pedal", "keys", "audio", "kiosk", "engine"}


def test_installer_config_template_uses_known_settings() -> None:
    """Uncommenting every line of the config install.sh writes gives a valid config."""
    script = (REPO / "hardware" / "install.sh").read_text()
    template = script.split("write_config_example() {", 1)[1].split("\nEOF\n", 1)[0]
    lines = [
        line.removeprefix("# ")
        for line in template.splitlines()
        if line.startswith("# ") or line.startswith("[")
    ]
    uncommented = "\n".join(line for line in lines if re.match(r"\[\w+\]$|\w+ = ", line))
    config = tomllib.loads(uncommented)
    assert {"pedal", "audio", "keys"} <= set(config)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    pedal = pytest.importorskip("trainer.adapters.pedal")
    audio = pytest.importorskip("trainer.adapters.audio")
    settings = pedal.PedalSettings.from_sources(config["pedal"], {}, None)
    assert (settings.pin, settings.pull) == (17, "up")
    pedal.KeyMap.from_config(config["keys"])
    audio.AudioSettings.from_section(config["audio"])


def test_links_and_anchors_resolve(readme: str) -> None:
    slugs = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", readme, re.M)
    }
    for target in re.findall(r"\]\(([^)\s]+)\)", readme):
        if target.startswith("#"):
            assert target[1:] in slugs, f"no heading for link {target}"
        elif "://" not in target:
            assert (README.parent / target).exists(), f"link to missing file {target}"


def test_readme_covers_the_essentials(readme: str) -> None:
    for fact in (
        "BCM",
        "pin 11",
        "pin 9",
        "pull-up",
        "normally-open",
        "normally-closed",
        "100 ohm",
        "100 nF",
        "TVS",
        "twisted pair",
        "USB foot pedal",
        "[keys]",
        'FONTSIZE="16x32"',
        "Conflicts=getty@tty1.service",
        "--dry-run",
    ):
        assert fact in readme, fact
    troubleshooting = readme.split("## Troubleshooting", 1)[1]
    for symptom in (
        "No sound",
        "Pedal does nothing",
        "double-fires",
        "text too small",
        "doesn't start on boot",
        "Permission denied",
    ):
        assert symptom in troubleshooting, symptom


def test_wiring_svg_is_a_valid_drawing_of_the_default_wiring() -> None:
    root = ET.parse(SVG).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.get("viewBox", "").split()) == 4
    text = " ".join("".join(node.itertext()) for node in root.iter())
    for label in ("GPIO 17", "pin 11", "pin 9", "GND", "normally open"):
        assert label in text, label
