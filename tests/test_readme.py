"""The README's promises: two setup commands first, a config example that really parses."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

from trainer.config import Config
from trainer.core.settings import AppSettings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_exactly_two_commands_that_exist():
    text = README.read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, flags=re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["./scripts/start", "./scripts/test"]
    assert text.index("```sh") < text.index("\n## ")  # before any other section
    root = README.parent
    for command in commands:
        assert (root / command).stat().st_mode & 0o111, f"{command} is not executable"
    assert "scripts/test" in (root / ".ci" / "run").read_text()


def test_config_example_is_accepted_by_the_real_parsers():
    text = README.read_text()
    example = re.search(r"```toml\n(.*?)```", text, flags=re.DOTALL).group(1)
    config = Config(sections=tomllib.loads(example), path=Path("README.md"))
    args = argparse.Namespace(pedal=None, pin=None, mute=False)
    settings = AppSettings.from_args(args, config)
    assert settings.pedal.pin == 17 and settings.kiosk.admin_pin == "2468"
    assert settings.keys.lookup("pagedown") is not None
    assert settings.engine.plan.switch_seconds == 5


def test_a_bad_config_file_stops_run_and_kiosk_with_a_clear_message(tmp_path, capsys):
    from trainer.cli import main

    config = tmp_path / "config.toml"
    for text, expected in [
        ("[pedal]\npin = 99\n", "pin"),
        ("[audio]\nvolume = 3\n", "[audio] volume: must be a number from 0 to 1"),
        ('[kiosk]\nadmin_pin = "12"\n', "[kiosk] admin_pin: must be 4 to 12 digits"),
        ("[engine]\nswitch_secs = 1\n", "unknown setting 'switch_secs'"),
        ("pedal = 3\n", "[pedal]: must be a [section] table"),
        ("[pedal\n", str(config)),
    ]:
        config.write_text(text)
        for command in ("run", "kiosk"):
            assert main([command, "--config", str(config)]) == 2
            err = capsys.readouterr().err
            assert err.startswith("trainer: ") and expected in err, err
            assert "Traceback" not in err
