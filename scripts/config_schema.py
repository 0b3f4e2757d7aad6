"""Write `workflows/schemas/config.schema.json`, the workflow config's JSON schema, from the settings dataclasses.

The Snakefile validates every config against this file before any job runs; `tests/workflows/test_config.py`
fails when the committed file differs from what the dataclasses give. Run: `python scripts/config_schema.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

from sciml.files import write_text_atomic
from sciml.settings import workflow_schema

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "workflows" / "schemas" / "config.schema.json"


def render() -> str:
    """The schema file's text: sorted keys, two-space indent."""
    return json.dumps(workflow_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    write_text_atomic(SCHEMA_PATH, render())
    print(SCHEMA_PATH)
