"""Terminal control text: refused at load time, and cleaned on every output path.

The adversarial pass found ``"\\e]0;x\\a"``, ``"\\e[2J"``, ``"\\x9b"`` and ``"\\0"``
written as YAML escapes passing validation and then retitling the terminal and
wiping the admin menu. These tests cover those and variants: keys, C1 controls
other than CSI, DEL, carriage return, bidi overrides and isolates, invisible-only
text, and text that reaches the terminal without passing the loader (file
names, rows in the database).
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer import cli
from trainer.routine.catalog import load_catalog
from trainer.untrusted_text import BIDI_CONTROLS, CleaningStream, clean, first_forbidden

GOOD_BODY = """\
summary: A routine for control-text tests.
blocks:
  - name: Main
    steps:
      - {kind: hold, name: Hold, duration: 5s}
"""

#: The four escapes of the report, then variants of our own.
HOSTILE_TITLES = {
    "osc-title": r'"\e]0;x\a"',
    "clear-screen": r'"\e[2J"',
    "8-bit-csi": r'"\x9b2J"',
    "nul": r'"a\0b"',
    "del": r'"a\x7fb"',
    "carriage-return": r'"safe\rEVIL"',
    "next-line-c1": r'"a\Nb"',
    "bell": r'"ding\a"',
    "right-to-left-override": r'"abc\u202Edef"',
    "left-to-right-isolate": r'"abc\u2066def"',
    "pop-directional-isolate": r'"abc\u2069"',
    "zero-width-space-only": r'"\u200B"',
    "no-break-space-only": r'"\u00A0\u00A0"',
    "joiners-and-bom-only": r'"\u200D\uFEFF\u2060"',
    "spaces-only": '"   "',
}


def _load(folder: Path, text: str):
    folder.mkdir(exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_catalog([folder], [])


@pytest.mark.parametrize("name", sorted(HOSTILE_TITLES))
def test_hostile_titles_are_refused_at_load_time(tmp_path: Path, name: str) -> None:
    path, catalog = _load(tmp_path / "r", f"title: {HOSTILE_TITLES[name]}\n{GOOD_BODY}")
    assert not catalog.routines
    issues = catalog.issues_by_file[path]
    assert len(issues) == 1
    message = str(issues[0])
    assert issues[0].line == 1 and issues[0].column == 8
    assert "control character" in message or "invisible" in message
    assert clean(message) == message  # the message itself never quotes the bad text


@pytest.mark.parametrize(
    "text",
    [
        # A key (no newline allowed there either), a cue, a list item, a block scalar.
        'title: T\n"ti\\ttle\\e": x\n' + GOOD_BODY,
        'title: T\n"a\\nb": x\n' + GOOD_BODY,
        'title: T\nfocus: [ok, "\\e[31mred"]\n' + GOOD_BODY,
        "title: T\n" + GOOD_BODY.replace("duration: 5s}", 'duration: 5s, cues: ["\\u202Eevil"]}'),
        'title: T\nsafety: "\\u200B\\u200C"\n' + GOOD_BODY,
    ],
)
def test_the_check_covers_every_key_and_value(tmp_path: Path, text: str) -> None:
    path, catalog = _load(tmp_path / "r", text)
    assert not catalog.routines
    assert catalog.issues_by_file[path]


@pytest.mark.parametrize(
    "title",
    [
        r'"Tab\tinside"',  # a tab is allowed in text
        '"Hüftbeuger Dehnung"',
        '"تمرين الورك"',  # right-to-left script, no override needed
        '"\\u200Fמתיחה\\u200F"',  # right-to-left marks are not overrides
        '"Squat 👩\\u200D🦯"',  # a zero-width joiner inside an emoji sequence
    ],
)
def test_ordinary_text_still_loads(tmp_path: Path, title: str) -> None:
    _, catalog = _load(tmp_path / "r", f"title: {title}\n{GOOD_BODY}")
    assert not catalog.issues, catalog.issues
    assert len(catalog.routines) == 1


def test_newlines_in_block_text_still_load(tmp_path: Path) -> None:
    body = GOOD_BODY.replace(
        "summary: A routine for control-text tests.", "summary: |\n  one\n  two"
    )
    _, catalog = _load(tmp_path / "r", "title: T\n" + body)
    assert not catalog.issues, catalog.issues
    assert next(iter(catalog.routines.values())).routine.summary.strip() == "one\ntwo"


def test_clean_removes_every_escape_of_the_report() -> None:
    dirty = "a\x1b]0;x\x07b\x1b[2Jc\x9bd\x00e\x1b]52;c;ZXZpbA==\x1b\\f\u202eg\u2066h\ri\tj\nk"
    assert clean(dirty) == "abcdefghi j\nk"
    assert clean(dirty, keep_tabs=True) == "abcdefghi\tj\nk"


@given(st.text(alphabet=st.characters(max_codepoint=0x2100), max_size=60))
def test_clean_output_never_holds_a_control(text: str) -> None:
    cleaned = clean(text)
    assert first_forbidden(cleaned) is None
    assert "\x1b" not in cleaned and "\t" not in cleaned
    assert not any(character in BIDI_CONTROLS for character in cleaned)
    assert clean(cleaned) == cleaned


def test_cleaning_stream_filters_a_sequence_split_across_writes() -> None:
    out = io.StringIO()
    stream = CleaningStream(out)
    stream.write("before\x1b")
    stream.write("]0;pwned\x07after\n")
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert out.getvalue().startswith("before") and out.getvalue().endswith("after\n")


# -- every print path of the CLI ---------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b\u202e"


def _assert_clean(output: str) -> None:
    assert output, "the command printed nothing"
    for character in "\x1b\x07\x9b\u202e\x00":
        assert character not in output, (character, output)


def test_validate_and_list_clean_hostile_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / f"bad{ESCAPES}.yaml").write_text("title: [unclosed\n")
    monkeypatch.setenv("TRAINER_ROUTINES_DIR", str(folder))
    assert cli.main(["validate", str(folder)]) == 1
    captured = capsys.readouterr()
    _assert_clean(captured.out + captured.err)
    assert "bad.yaml" in captured.out  # the name is still recognisable
    assert cli.main(["list"]) == 1
    captured = capsys.readouterr()
    _assert_clean(captured.out + captured.err)
    assert sys.stdout is not None and not isinstance(sys.stdout, CleaningStream)


def test_show_of_a_hostile_path_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"x{ESCAPES}.yaml"
    path.write_text('title: "\\e[2J"\n' + GOOD_BODY)
    assert cli.main(["show", str(path)]) == 1
    captured = capsys.readouterr()
    _assert_clean(captured.err)
    assert "control character U+001B (ESCAPE)" in captured.err


def _store_with_a_hostile_title(tmp_path: Path) -> Path:
    """A database row written before titles were checked (or by another tool)."""
    from trainer.adapters.store import SessionStore

    database = tmp_path / "data" / "history.sqlite3"
    database.parent.mkdir()
    with SessionStore.open(database):
        pass
    with sqlite3.connect(database) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(sessions)")}
        values = {
            "routine_id": f"id{ESCAPES}",
            "routine_title": f"=1+1{ESCAPES}Title",
            "routine_digest": "d",
            "started_at": "2026-01-01T10:00:00+00:00",
            "status": "finished",
            "plan_size": 1,
        }
        values = {key: value for key, value in values.items() if key in columns}
        placeholders = ", ".join("?" for _ in values)
        connection.execute(
            f"INSERT INTO sessions ({', '.join(values)}) VALUES ({placeholders})",
            list(values.values()),
        )
    return database.parent


@pytest.mark.parametrize("flags", [[], ["--csv"], ["--json"]])
def test_history_cleans_stored_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    data = _store_with_a_hostile_title(tmp_path)
    assert cli.main(["history", "--data-dir", str(data), *flags]) == 0
    captured = capsys.readouterr()
    _assert_clean(captured.out)
    assert "Title" in captured.out


def test_installed_command_output_is_clean_in_a_real_process(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "a.yaml").write_text('title: T\n"k\\e[2J": v\n' + GOOD_BODY)
    (folder / f"b{ESCAPES}.yaml").write_text("- not a mapping\n")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "validate", str(folder)],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    output = (result.stdout + result.stderr).decode()
    _assert_clean(output)
    assert "a key has the control character U+001B (ESCAPE)" in output
