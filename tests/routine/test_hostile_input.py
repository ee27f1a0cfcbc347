"""Hostile files get a clear error quickly, without exhausting memory.

Each case is validated in-process under tracemalloc (peak memory bounded), and
the whole set once more through the real `trainer validate` command in a child
process with a hard address-space limit and a timeout, so a hang or a memory
bomb fails the test instead of the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from trainer.routine.catalog import load_catalog

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
"""

HOSTILE: dict[str, tuple[bytes, str]] = {
    "billion-laughs": (BILLION_LAUGHS.encode(), "anchors (&a) are not allowed"),
    "python-object": (
        b"title: !!python/object/new:os.system [echo pwned]\n",
        "the tag tag:yaml.org,2002:python/object/new:os.system is not allowed",
    ),
    "custom-tag": (b"title: !include /etc/passwd\n", "the tag !include is not allowed"),
    "merge-key": (b"base: {a: 1}\nx:\n  <<: {a: 2}\n", "merge keys (<<) are not allowed"),
    "huge-file": (b"title: x\n" + b"# padding\n" * 150_000, "file is larger than 1000 kB"),
    # libyaml's scanner stops this one itself ("exceeded maximum nesting depth");
    # the pure-Python parser leaves it to our composer ("nested more than 32 ...").
    "deep-flow-nesting": (b"title: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "nest"),
    "deep-block-nesting": (
        "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(500)).encode(),
        "nested more than 32 levels deep",
    ),
    "many-values": (b"title: [" + b"1," * 25_000 + b"1]\n", "file has more than 20000 values"),
    "not-utf8": (b"title: \xff\xfe\x00\x00\n", "file is not UTF-8 text"),
    "nul-bytes": (b"title: a\x00b\n", "file has a control character (#x0000)"),
    "long-title": (
        b"title: " + b"x" * 100_000 + b"\nsummary: s\nblocks: [{name: A, steps: "
        b"[{kind: rest, duration: 5s}]}]\n",
        "String should have at most 80 characters",
    ),
    "binary-tag": (b"title: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary is not allowed"),
}


def write_cases(folder: Path) -> dict[str, Path]:
    paths = {}
    for name, (content, _) in HOSTILE.items():
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_bytes(content)
    return paths


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gets_a_clear_error_within_bounded_memory(name: str, tmp_path: Path):
    path = write_cases(tmp_path)[name]
    tracemalloc.start()
    try:
        catalog = load_catalog([], files=[path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    issues = catalog.issues_by_file[path]
    assert catalog.routines == {}
    assert len(issues) >= 1
    assert HOSTILE[name][1] in str(issues[0])
    assert str(issues[0]).startswith(f"{path}:")
    # The largest legitimate input is 1 MB of text; nothing may balloon past a few times that.
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def _limit_memory() -> None:
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_validate_command_survives_the_whole_hostile_set(tmp_path: Path):
    write_cases(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert reported == {str(tmp_path / f"{name}.yaml") for name in HOSTILE}
    assert f"in {len(HOSTILE)} of {len(HOSTILE)} files" in result.stderr
