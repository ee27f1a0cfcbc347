"""``trainer schema``: print the JSON Schema of routine and library files.

The ids of the exercise library (bundled and the user's) are listed for
``use:``, so editors complete them; regenerate after adding exercises.
"""

from __future__ import annotations

import argparse

from trainer.routine.catalog import load_catalog
from trainer.routine.schema import routine_file_schema_json


def run(args: argparse.Namespace) -> int:
    print(routine_file_schema_json(load_catalog().library))
    return 0
