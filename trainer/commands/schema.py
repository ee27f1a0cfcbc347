"""``trainer schema``: print the JSON Schema of routine and library files."""

from __future__ import annotations

import argparse

from trainer.routine.schema import routine_file_schema_json


def run(args: argparse.Namespace) -> int:
    print(routine_file_schema_json())
    return 0
