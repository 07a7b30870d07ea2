"""How the config file and the command's reports are written."""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from typing import Any


def render_config(document: Any) -> str:
    """Byte-compatible with the anchor's ``JSON.stringify(obj, null, 2) + "\\n"``."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_timestamp(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds, like JavaScript's ``Date.toISOString()``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(lines)


def render_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
