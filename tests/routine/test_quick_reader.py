"""The quick reader (``read_yaml(path, marked=False)``) reads exactly what the careful one does.

It builds plain data straight from libyaml's events, and must accept only what
the careful, position-tracking reader accepts, with the same data; anything
else is left to the careful reader, so the refusal and its line and column are
the same either way. Checked on every YAML file in the project, on hostile
cases one by one, and on a few thousand seeded mutations of real routines.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from trainer import paths
from trainer.routine.catalog import load_catalog
from trainer.routine.issues import RoutineFileError
from trainer.routine.yamlsafe import MarkedDict, read_yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT_YAML = sorted(
    path
    for folder in (ROOT / "routines", ROOT / "tests")
    for path in folder.rglob("*.y*ml")
    if path.suffix in {".yaml", ".yml"}
)


def _outcome(path: Path, *, marked: bool) -> tuple[str, object]:
    try:
        return "data", read_yaml(path, marked=marked)
    except RoutineFileError as error:
        return "refused", str(error.issue)


def _same_either_way(path: Path) -> tuple[str, object]:
    careful, quick = _outcome(path, marked=True), _outcome(path, marked=False)
    assert quick == careful, path.read_bytes()[:300]
    return quick


def test_every_project_yaml_file_reads_the_same_either_way():
    assert len(PROJECT_YAML) > 50
    quick = 0
    for path in PROJECT_YAML:
        kind, data = _same_either_way(path)
        quick += kind == "data" and type(data) is dict
    assert quick > len(PROJECT_YAML) // 2  # most files did take the quick way


ODD_BUT_FINE = {
    "plain": "title: Ankle\nsets: 2\nsides: on\nnote: no\n",
    "nulls": "a: ~\nb: null\nc:\nd: ''\ne: 'null'\n",
    "block-scalars": "how: |\n  Line one\n  Line two\nwhy: >\n  folded\n  text\n",
    "flow": "blocks: [{name: A, steps: [{kind: rest, duration: 5s}]}]\n",
    "quoted-merge-key": "'<<': x\n",
    "ampersand-in-text": "title: Stretch & hold * twice\n",
    "non-ascii": "title: Étirement du mollet 🦵\nsummary: 膝を壁に\n",
    "explicit-document": "%YAML 1.1\n---\ntitle: x\n...\n",
    "a-list": "- a\n- b\n",
    "a-scalar": "just text\n",
}

REFUSED = {
    "duplicate-key": ("title: a\nsummary: s\ntitle: b\n", "duplicate key 'title'"),
    "duplicate-key-deep": ("a:\n  b: 1\n  c: 2\n  b: 3\n", "duplicate key 'b'"),
    "anchor": ("a: &x 1\n", "anchors (&x) are not allowed"),
    "alias": ("a: 1\nb: *x\n", "x"),
    "custom-tag": ("a: !include x\n", "the tag !include is not allowed"),
    "merge-key": ("a:\n  <<: {b: 1}\n", "merge keys (<<) are not allowed"),
    "merge-value": ("a: <<\n", "tag:yaml.org,2002:merge is not allowed"),
    "list-as-key": ("? [a, b]\n: c\n", "a key must be a plain word"),
    "escape-in-value": ('title: "\\e[2J"\n', "control character U+001B"),
    "newline-in-key": ('"a\\nb": c\n', "a key has the control character"),
    "invisible": ('title: "\\u200b"\n', "only of invisible characters"),
    "two-documents": ("a: 1\n---\nb: 2\n", "but found another document"),
    "empty": ("# nothing\n", "file is empty"),
    "syntax": ("a: [1, 2\nb: 3\n", "YAML syntax"),
    "deep": ("".join(f"{'  ' * depth}k{depth}:\n" for depth in range(40)), "nested more"),
    "many-values": ("a: [" + "1," * 20_001 + "1]\n", "more than 20000 values"),
}


@pytest.mark.parametrize("name", sorted(ODD_BUT_FINE))
def test_odd_but_fine_files_read_the_same_either_way(name: str, tmp_path: Path):
    path = tmp_path / f"{name}.yaml"
    path.write_text(ODD_BUT_FINE[name], encoding="utf-8")
    kind, data = _same_either_way(path)
    assert kind == "data"
    assert not isinstance(data, MarkedDict)  # read the quick way: nothing unusual in it


def test_the_quick_reader_keeps_every_scalar_text(tmp_path: Path):
    path = tmp_path / "plain.yaml"
    path.write_text(ODD_BUT_FINE["plain"] + ODD_BUT_FINE["nulls"], encoding="utf-8")
    data = read_yaml(path, marked=False)
    assert data == {
        "title": "Ankle",
        "sets": "2",
        "sides": "on",
        "note": "no",
        **{"a": None, "b": None, "c": None, "d": "", "e": "null"},
    }


def test_a_basic_tag_is_left_to_the_careful_reader_which_allows_it(tmp_path: Path):
    path = tmp_path / "tagged.yaml"
    path.write_text("a: !!str 1\nb: !!int 2\n", encoding="utf-8")
    kind, data = _same_either_way(path)
    assert (kind, data) == ("data", {"a": "1", "b": "2"})
    assert isinstance(data, MarkedDict)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_the_careful_reader_refuses_the_quick_one_refuses_alike(name: str, tmp_path: Path):
    text, message = REFUSED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    kind, refusal = _same_either_way(path)
    assert kind == "refused"
    assert message in str(refusal)


MUTATIONS = [
    "&a ", "*a", "!!str ", "!x ", "<<: ", "<<", "- ", ": ", "\n", "  ", "[", "]", "{", "}",
    ",", "? ", "\u200b", '"\\e[2J"', '"\\u200b"', "'", '"', "~", "---\n", "...\n", "#",
    "|\n  x", "\t", "key: 1\nkey: 2\n", "é", "\u202e", "%YAML 1.1\n", "&", "*",
]  # fmt: skip


def test_seeded_mutations_of_real_routines_read_the_same_either_way(tmp_path: Path):
    sources = [
        path.read_text(encoding="utf-8")
        for path in sorted(paths.BUNDLED_ROUTINES_DIR.rglob("*.yaml"))
    ]
    rng = random.Random(18)
    kinds = set()
    for number in range(400):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 5) :]
        path = tmp_path / f"mutant-{number}.yaml"
        path.write_text(text, encoding="utf-8")
        kinds.add(_same_either_way(path)[0])
    assert kinds == {"data", "refused"}


def test_a_catalog_read_the_quick_way_still_places_traps_and_clashes(tmp_path: Path):
    """Files with something to say are judged the careful way, with positions."""
    steps = "blocks:\n  - name: A\n    steps:\n      - {kind: rest, duration: 5s}\n"
    (tmp_path / "one.yaml").write_text(f"id: same\ntitle: One\nsummary: s\n{steps}")
    (tmp_path / "two.yaml").write_text(f"title: Two\nsummary: s\n\nid: same\n{steps}")
    (tmp_path / "trap.yaml").write_text(
        "title: Trap\nsummary: s\nblocks:\n  - name: A\n    steps:\n"
        "      - {kind: hold, name: Hold, duration: 30s, rest: 10s}\n"
    )
    catalog = load_catalog([tmp_path])
    [clash] = catalog.issues_by_file[tmp_path / "two.yaml"]
    assert (clash.line, clash.column, clash.field) == (4, 5, "id")
    [trap] = catalog.warnings_by_file[tmp_path / "trap.yaml"]
    assert (trap.line, trap.field) == (6, "blocks[0].steps[0].rest")
    assert catalog.warnings_by_file[tmp_path / "one.yaml"] == []
