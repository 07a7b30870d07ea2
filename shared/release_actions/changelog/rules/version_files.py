"""``version-files``: Chart.yaml ``version``/``appVersion``, a ``VERSION`` file, values.yaml keys.

Each is written ``path:key`` (a dotted key into YAML) or ``path`` (the whole file is the version),
and compared with the version being released after dropping one leading ``v``: HAMi's tag is
``v2.10.0``, its Chart ``version`` ``2.10.0`` and its ``/VERSION`` ``v2.10.0``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import yaml

from ...errors import InputError
from ...limits import LimitExceeded, check_yaml_shape
from ...versions import normalize_tag
from ..reading import Finding
from . import catalogue as rules

# What a file's text must look like to be quoted in a message (a version, not a secret).
_VERSION_LIKE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,79}", re.ASCII)

# libyaml's composer when the wheel has it; both keep line numbers on every node.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class VersionFile:
    path: str
    key: str | None = None

    @classmethod
    def parse(cls, spec: str) -> VersionFile:
        path, separator, key = spec.strip().rpartition(":")
        if not separator:
            return cls(spec.strip())
        if not path or not key.strip():
            raise InputError(
                f"input 'version-files': {spec!r} must be 'path' or 'path:key' "
                "(for example charts/app/Chart.yaml:appVersion)"
            )
        return cls(path.strip(), key.strip())

    def __str__(self) -> str:
        return self.path if self.key is None else f"{self.path}:{self.key}"


def check_version_files(
    files: Sequence[VersionFile],
    version: str,
    *,
    subject: str,
    read: Callable[[str], str | None],
) -> list[Finding]:
    """One CL010 finding per file that is missing, unreadable, or disagrees with ``version``.

    ``subject`` names where the version came from in messages (``tag v2.10.0``); ``read`` returns a
    file's text, or None when it does not exist.
    """
    findings = []
    wanted = normalize_tag(version)
    for file in files:
        text = read(file.path)
        if text is None:
            findings.append(
                rules.VERSION_MISMATCH.finding(
                    f"{file.path} not found (version-files)", file=file.path
                )
            )
            continue
        found = _read_version(file, text)
        if isinstance(found, Finding):
            findings.append(found)
            continue
        value, line = found
        if normalize_tag(value) != wanted:
            what = file.path if file.key is None else f"{file.path} {file.key}"
            message = (
                f"{what} {value} != {subject}"
                if _VERSION_LIKE.fullmatch(value)
                # Never quoted: a VERSION linked to /proc/self/environ holds the token.
                else f"{what} does not hold a version (its content is not shown) != {subject}"
            )
            findings.append(rules.VERSION_MISMATCH.finding(message, file=file.path, line=line))
    return findings


def _read_version(file: VersionFile, text: str) -> tuple[str, int] | Finding:
    if file.key is None:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                return line.strip(), number
        return rules.VERSION_MISMATCH.finding(f"{file.path} is empty", file=file.path, line=1)
    try:
        check_yaml_shape(text)  # before libyaml's recursive composer can crash on it
        node = yaml.compose(text, Loader=_Loader)
    except LimitExceeded as exc:
        return rules.VERSION_MISMATCH.finding(
            f"{file.path} is refused: {exc.message}", file=file.path, line=exc.line
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return rules.VERSION_MISMATCH.finding(
            f"{file.path} is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=file.path,
            line=mark.line + 1 if mark is not None else None,
        )
    found: yaml.Node | None = node
    for part in file.key.split("."):
        found = _child(found, part)
        if found is None:
            return rules.VERSION_MISMATCH.finding(
                f"{file.path} has no key {file.key}", file=file.path, line=1
            )
    assert found is not None
    if not isinstance(found, yaml.ScalarNode):
        return rules.VERSION_MISMATCH.finding(
            f"{file.path} {file.key} is not a single value",
            file=file.path,
            line=found.start_mark.line + 1,
        )
    return str(found.value), found.start_mark.line + 1


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node  # type: ignore[no-any-return]
    return None
