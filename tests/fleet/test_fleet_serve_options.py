"""`trainer coach --serve` refuses to start without a real password, and binds locally."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.cli import build_parser, main
from trainer.fleet.connection import FleetError
from trainer.fleet.serve import PasswordCheck, parse_bind, read_password

DSN = "host=/nonexistent dbname=x user=coach password=secret-pw"


def test_serve_binds_to_this_machine_unless_told_otherwise() -> None:
    args = build_parser().parse_args(["coach", "--serve"])
    assert parse_bind(args.bind) == ("127.0.0.1", 8765)
    assert parse_bind("[::1]:9000") == ("::1", 9000)
    with pytest.raises(FleetError, match="ADDR:PORT"):
        parse_bind("0.0.0.0")


def test_serve_without_a_password_refuses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRAINER_COACH_PASSWORD", raising=False)
    assert main(["coach", "--serve", "--dsn", DSN]) == 1
    err = capsys.readouterr().err
    assert "needs a login password" in err and "secret-pw" not in err


def test_password_rules(tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_text("abc\n")
    with pytest.raises(FleetError, match="at least 8"):
        read_password(short, None)
    with pytest.raises(FleetError, match="cannot read"):
        read_password(tmp_path / "missing", None)
    assert read_password(None, "  long enough  ") == "long enough"
    check = PasswordCheck("long enough")
    assert check.matches("long enough") and not check.matches("long enougH")
