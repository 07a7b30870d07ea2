"""Typed, strict parsing of action inputs, which reach Python only as environment variables.

An input ``charts-dir`` arrives as ``INPUT_CHARTS_DIR`` (each ``action.yml`` maps it in ``env:``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from .errors import InputError

_Choice = TypeVar("_Choice", bound=str)
_LIST_SEPARATOR = re.compile(r"[\n,]")


def env_name(input_name: str) -> str:
    return "INPUT_" + input_name.upper().replace("-", "_").replace(" ", "_")


def split_list(text: str) -> list[str]:
    """Split on newlines or commas, trimming blanks; empty items are dropped."""
    return [item.strip() for item in _LIST_SEPARATOR.split(text) if item.strip()]


def parse_bool(name: str, text: str) -> bool:
    if text == "true":
        return True
    if text == "false":
        return False
    raise InputError(f"input '{name}' must be 'true' or 'false', got {text!r}")


class Inputs:
    """Reads ``INPUT_*`` variables. An unset or empty input takes its default."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def raw(self, name: str) -> str:
        return self._environ.get(env_name(name), "").strip()

    def string(self, name: str, default: str = "") -> str:
        return self.raw(name) or default

    def required(self, name: str) -> str:
        value = self.raw(name)
        if not value:
            raise InputError(f"input '{name}' is required")
        return value

    def optional(self, name: str) -> str | None:
        return self.raw(name) or None

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        return default if not value else parse_bool(name, value)

    def items(self, name: str, default: Sequence[str] = ()) -> list[str]:
        value = self.raw(name)
        return split_list(value) if value else list(default)

    def lines(self, name: str) -> list[str]:
        """Non-blank lines, for inputs whose items may themselves contain commas."""
        return [line.strip() for line in self.raw(name).splitlines() if line.strip()]

    def choice(self, name: str, choices: Sequence[_Choice], default: _Choice) -> _Choice:
        value = self.raw(name)
        if not value:
            return default
        for choice in choices:
            if value == choice:
                return choice
        allowed = ", ".join(choices)
        raise InputError(f"input '{name}' must be one of {allowed}; got {value!r}")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.raw(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            raise InputError(f"input '{name}' must be a whole number, got {value!r}") from None
        if minimum is not None and number < minimum:
            raise InputError(f"input '{name}' must be at least {minimum}, got {number}")
        return number
