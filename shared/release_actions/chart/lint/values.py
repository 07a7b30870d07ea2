"""``values-checks``: ``KEY = TEMPLATE`` lines that keep values.yaml in step with the chart.

``global.imageTag = v{version}`` says that ``global: {imageTag: …}`` in values.yaml must be the
chart version with a ``v`` in front. The key is a dotted path (a digit steps into a list); the
template may use ``{version}``, ``{appVersion}`` and ``{name}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import UsageError

VALUES_FILE = "values.yaml"
PLACEHOLDERS = ("version", "appVersion", "name")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ValuesCheck:
    key: str
    template: str

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def uses_app_version(self) -> bool:
        return "{appVersion}" in self.template

    def render(self, *, name: str, version: str, app_version: str | None) -> str:
        """The expected value; ``{appVersion}`` needs an app version."""
        if self.uses_app_version and app_version is None:
            raise ValueError(f"{self.key} = {self.template} needs an appVersion")
        fields = {"name": name, "version": version, "appVersion": app_version or ""}
        return _PLACEHOLDER.sub(lambda match: fields[match.group(1)], self.template)

    def __str__(self) -> str:
        return f"{self.key} = {self.template}"


def parse_values_check(line: str) -> ValuesCheck:
    """Parse ``KEY = TEMPLATE``; a bad line is a usage error that quotes it."""
    key, separator, template = line.partition("=")
    key, template = key.strip(), template.strip()
    if not separator or not key or not template:
        raise UsageError(f"values check {line.strip()!r} must look like 'image.tag = v{{version}}'")
    if any(not part or part != part.strip() for part in key.split(".")):
        raise UsageError(f"values check {line.strip()!r}: {key!r} is not a dotted key")
    unknown = [name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS]
    stray = _PLACEHOLDER.sub("", template)
    if unknown or "{" in stray or "}" in stray:
        allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise UsageError(f"values check {line.strip()!r}: the template may only use {allowed}")
    return ValuesCheck(key=key, template=template)


def parse_values_checks(lines: Iterable[str]) -> tuple[ValuesCheck, ...]:
    return tuple(parse_values_check(line) for line in lines if line.strip())
