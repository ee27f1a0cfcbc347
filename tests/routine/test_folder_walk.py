"""Finding routine files: sorted, bounded, and links out of the folder said out loud."""

from __future__ import annotations

import os
from pathlib import Path

from trainer import paths
from trainer.cli import main
from trainer.routine import catalog as catalog_module
from trainer.routine import files as files_module
from trainer.routine.catalog import find_yaml_files, load_catalog

ROUTINE = (
    "title: {title}\nsummary: s\nblocks:\n  - name: A\n    steps:\n"
    "      - {{kind: rest, duration: 5s}}\n"
)


def test_the_walk_lists_what_a_sorted_recursive_glob_would(tmp_path: Path):
    names = [
        "a/x.yaml", "a-b.yaml", "a.yaml", "A.YAML", "b/c/d.yml", ".hidden/x.yaml", "b/.x.yaml",
        "b/c.yaml", "notes.txt", "a b/q.yaml", "é.yaml", "_/u.yaml", "a0/v.yaml",
    ]  # fmt: skip
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    (tmp_path / "linked-folder").symlink_to(tmp_path / "a")  # not entered
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "a.yaml")  # listed
    (tmp_path / "folder.yaml").mkdir()  # not a file
    expected = sorted(
        path
        for path in tmp_path.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(tmp_path).parts)
        and path.suffix.lower() in {".yaml", ".yml"}
        and path.is_file()
    )
    assert find_yaml_files(tmp_path) == expected
    assert tmp_path / "linked.yaml" in expected and len(expected) == 11


def test_the_walk_stops_at_its_entry_limit_and_says_so(tmp_path: Path, monkeypatch):
    """A mistaken path (a home folder) is not listed to its end before the cap applies."""
    monkeypatch.setattr(files_module, "MAX_ENTRIES_PER_FOLDER", 50)
    monkeypatch.setattr(catalog_module, "MAX_ENTRIES_PER_FOLDER", 50)
    (tmp_path / "a.yaml").write_text(ROUTINE.format(title="First"))
    for number in range(30):
        folder = tmp_path / f"photos-{number:02}"
        folder.mkdir()
        for picture in range(5):
            (folder / f"{picture}.jpg").write_bytes(b"")
    (tmp_path / "z.yaml").write_text(ROUTINE.format(title="Last"))
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path):  # type: ignore[no-untyped-def]
        listed.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(files_module.os, "scandir", counting_scandir)
    assert find_yaml_files(tmp_path) == [tmp_path / "a.yaml"]
    assert len(listed) < 15  # stopped early, not after all 31 folders
    catalog = load_catalog([tmp_path])
    [issue] = catalog.issues_by_file[tmp_path]
    assert "more than 50 files and folders" in issue.message
    assert [loaded.routine.title for loaded in catalog.routines.values()] == ["First"]


def test_validate_says_which_files_link_out_of_the_folder_and_checks_them(tmp_path: Path, capsys):
    folder, outside = tmp_path / "mine", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (folder / "inside.yaml").write_text(ROUTINE.format(title="Inside"))
    (outside / "good.yaml").write_text(ROUTINE.format(title="Good"))
    (outside / "bad.yaml").write_text("title: Bad\n")
    (folder / "good-link.yaml").symlink_to(outside / "good.yaml")
    (folder / "bad-link.yaml").symlink_to(outside / "bad.yaml")
    (folder / "inside-link.yaml").symlink_to(folder / "inside.yaml")  # inside: nothing to say
    assert main(["validate", str(folder)]) == 1
    captured = capsys.readouterr()
    out, err = captured.out.splitlines(), captured.err
    links = [line for line in out if "a link to" in line]
    assert links == [
        f"{folder / 'bad-link.yaml'}:1:1: warning: a link to {outside / 'bad.yaml'}, outside "
        f"{folder}: checked, but a copy of the folder will not hold it",
        f"{folder / 'good-link.yaml'}:1:1: warning: a link to {outside / 'good.yaml'}, outside "
        f"{folder}: checked, but a copy of the folder will not hold it",
    ]
    assert any(
        line.startswith(f"{folder / 'bad-link.yaml'}:") and "summary" in line for line in out
    )
    assert "in 1 of 3 files; 2 routines OK, 2 warnings" in err


def test_a_link_into_a_folder_read_anyway_is_still_said_and_checked(tmp_path: Path, capsys):
    """The catalog reads each file once, under the first folder it was found in."""
    folder = tmp_path / "mine"
    folder.mkdir()
    bundled = sorted(paths.BUNDLED_ROUTINES_DIR.glob("*.yaml"))[0]
    (folder / "copy.yaml").symlink_to(bundled)
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"{folder / 'copy.yaml'}:1:1: warning: a link to {bundled.resolve()}" in out
    assert "1 file OK (1 routine, 1 warning)" in out
