"""Write timeline/events.schema.json from timeline/schema.py (tests/test_schema.py checks it).

python scripts/write_json_schema.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.schema import JSON_SCHEMA_PATH, json_schema_text  # noqa: E402

if __name__ == "__main__":
    JSON_SCHEMA_PATH.write_text(json_schema_text(), encoding="utf-8")
