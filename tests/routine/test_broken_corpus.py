"""Every deliberately broken file gets exactly its expected messages, at the right lines.

Each file under ``broken/`` states what `trainer validate` must print for it in
``# expect: LINE:COL: field: message-prefix`` comments at its top. A file whose
expectations are all warnings (``field: warning: ...``) is a trap: reported,
but valid, so validate exits 0.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.cli import main

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(path for path in BROKEN.glob("*.yaml"))


def expectations(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return re.findall(r"^# expect: (.+)$", text, flags=re.MULTILINE)


def test_corpus_is_not_empty():
    assert len(CASES) >= 25
    assert all(expectations(path) for path in CASES), "every broken file states its expectation"


def line_and_column(expected: str) -> tuple[int, int]:
    line, column = expected.split(":")[:2]
    return int(line), int(column)


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_broken_file_gets_its_precise_messages(path: Path, capsys: pytest.CaptureFixture[str]):
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    wanted = expectations(path)
    # A trap (every expectation a warning) is reported, but the file still loads.
    only_warnings = all(": warning: " in expected for expected in wanted)
    assert status == (0 if only_warnings else 1)
    assert "Traceback" not in out + err
    printed = [line for line in out.splitlines() if not line.startswith("1 file OK")]
    assert len(printed) == len(wanted), printed
    for line, expected in zip(printed, sorted(wanted, key=line_and_column), strict=True):
        assert line.startswith(f"{path}:{expected}"), (line, expected)
    if not only_warnings:
        assert re.search(r"\d+ problems? in 1 of 1 file", err)


def test_folder_with_bad_files_still_lists_the_good_ones(tmp_path: Path, capsys):
    (tmp_path / "good.yaml").write_text(
        "title: Good\nsummary: fine\nblocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n"
    )
    (tmp_path / "bad.yaml").write_text("title: Bad\nsummary: [\n")
    status = main(["validate", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.count("\n") == 1 and f"{tmp_path / 'bad.yaml'}:" in out
    assert "1 problem in 1 of 2 files; 1 routine OK" in err


def test_valid_file_passes_and_says_so(tmp_path: Path, capsys):
    path = tmp_path / "ok.yml"
    path.write_text(
        "title: Good\nsummary: fine\nblocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n"
    )
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "1 file OK (1 routine)"


def test_missing_path_is_an_error(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
