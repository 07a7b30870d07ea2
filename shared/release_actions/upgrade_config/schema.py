"""A small JSON Schema validator for the subset our shipped schemas use.

Supported keywords: ``type``, ``properties``, ``required``, ``additionalProperties``,
``propertyNames``, ``items``, ``enum``, ``minLength``, ``minItems``, ``minProperties``,
``uniqueItems``, ``anyOf``,
``$ref`` (to ``#/$defs/…``) and ``format`` (``semver``, ``semver-range``); annotations such as
``title`` and ``description`` are ignored. A schema using anything else is refused when loaded,
so a schema edit cannot silently stop being checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..versions import is_semver
from .document import JsonPath
from .ranges import RangeError, parse_range

_ANNOTATIONS = {
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "$defs",
}
_KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "items",
    "enum",
    "minLength",
    "maxLength",
    "minItems",
    "minProperties",
    "uniqueItems",
    "anyOf",
    "$ref",
    "format",
}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def _valid_range(text: str) -> bool:
    try:
        parse_range(text)
    except RangeError:
        return False
    return True


_FORMATS: dict[str, tuple[Callable[[str], bool], str]] = {
    "semver": (is_semver, "a SemVer version such as 1.2.3"),
    "semver-range": (_valid_range, "a semver range such as >=1.0.0 <2.0.0"),
}


@dataclass(frozen=True)
class SchemaError:
    path: JsonPath
    message: str
    wrong_type: bool = False


class Schema:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        _check_keywords(document, document)

    @classmethod
    def load(cls, name: str) -> Schema:
        text = resources.files(__package__).joinpath("schemas", name).read_text(encoding="utf-8")
        return cls(json.loads(text))

    def validate(self, value: Any) -> list[SchemaError]:
        return list(self._errors(self.document, value, ()))

    def _resolve(self, ref: str) -> Mapping[str, Any]:
        return _resolve(self.document, ref)

    def _errors(
        self, schema: Mapping[str, Any], value: Any, path: JsonPath
    ) -> Iterator[SchemaError]:
        if "$ref" in schema:
            yield from self._errors(self._resolve(schema["$ref"]), value, path)
        if "anyOf" in schema:
            branches = [list(self._errors(branch, value, path)) for branch in schema["anyOf"]]
            if all(branches):
                # report the branch whose type fit, which says what is actually wrong
                fitting = [errors for errors in branches if not errors[0].wrong_type]
                if fitting:
                    yield from fitting[0]
                else:
                    types = [t for branch in schema["anyOf"] for t in _types(branch, self)]
                    yield SchemaError(
                        path, f"must be {' or '.join(types)}, not {_kind(value)}", wrong_type=True
                    )
            return
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_TYPES[name](value) for name in types):
                yield SchemaError(
                    path, f"must be {' or '.join(types)}, not {_kind(value)}", wrong_type=True
                )
                return
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(json.dumps(item) for item in schema["enum"])
            yield SchemaError(path, f"must be one of {allowed}, not {json.dumps(value)}")
        if isinstance(value, str):
            yield from self._string_errors(schema, value, path)
        if isinstance(value, list):
            yield from self._array_errors(schema, value, path)
        if isinstance(value, dict):
            yield from self._object_errors(schema, value, path)

    def _string_errors(
        self, schema: Mapping[str, Any], value: str, path: JsonPath
    ) -> Iterator[SchemaError]:
        if len(value) < schema.get("minLength", 0):
            yield SchemaError(path, "must not be empty")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield SchemaError(path, f"must be at most {schema['maxLength']} characters long")
        if "format" in schema:
            check, wanted = _FORMATS[schema["format"]]
            if not check(value):
                yield SchemaError(path, f"{json.dumps(value)} is not {wanted}")

    def _array_errors(
        self, schema: Mapping[str, Any], value: list[Any], path: JsonPath
    ) -> Iterator[SchemaError]:
        if len(value) < schema.get("minItems", 0):
            yield SchemaError(path, f"must have at least {schema['minItems']} item(s)")
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for index, item in enumerate(value):
                if item in seen:
                    yield SchemaError((*path, index), f"{json.dumps(item)} is listed twice")
                seen.append(item)
        if "items" in schema:
            for index, item in enumerate(value):
                yield from self._errors(schema["items"], item, (*path, index))

    def _object_errors(
        self, schema: Mapping[str, Any], value: dict[str, Any], path: JsonPath
    ) -> Iterator[SchemaError]:
        if len(value) < schema.get("minProperties", 0):
            yield SchemaError(path, f"must have at least {schema['minProperties']} key(s)")
        for name in schema.get("required", ()):
            if name not in value:
                yield SchemaError(path, f"is missing {json.dumps(name)}")
        properties: Mapping[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if "propertyNames" in schema:
                for error in self._errors(schema["propertyNames"], key, (*path, key)):
                    yield SchemaError(error.path, f"key {error.message}")
            if key in properties:
                yield from self._errors(properties[key], item, (*path, key))
            elif extra is False:
                allowed = ", ".join(properties)
                yield SchemaError(
                    (*path, key), f"unknown key {json.dumps(key)} (allowed: {allowed})"
                )
            elif isinstance(extra, dict):
                yield from self._errors(extra, item, (*path, key))


def _types(schema: Mapping[str, Any], owner: Schema) -> list[str]:
    if "$ref" in schema:
        return _types(owner._resolve(schema["$ref"]), owner)
    names = schema.get("type", [])
    return list(names) if isinstance(names, list) else [names]


def _kind(value: Any) -> str:
    for name, check in _TYPES.items():
        if check(value):
            return name
    return type(value).__name__  # pragma: no cover - json.loads makes only the types above


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref is supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def _check_keywords(root: Mapping[str, Any], schema: Any) -> None:
    if not isinstance(schema, dict):
        raise ValueError(f"a schema must be an object, got {schema!r}")
    for key, sub in schema.items():
        if key in _ANNOTATIONS:
            if key == "$defs":
                for definition in sub.values():
                    _check_keywords(root, definition)
            continue
        if key not in _KEYWORDS:
            raise ValueError(f"schema keyword {key!r} is not supported by this validator")
        if key in ("properties",):
            for child in sub.values():
                _check_keywords(root, child)
        elif key in ("items", "propertyNames") or (
            key == "additionalProperties" and sub is not True and sub is not False
        ):
            _check_keywords(root, sub)
        elif key == "anyOf":
            for child in sub:
                _check_keywords(root, child)
        elif key == "$ref":
            _resolve(root, sub)
        elif key == "format" and sub not in _FORMATS:
            raise ValueError(f"format {sub!r} is not supported by this validator")
        elif key == "type":
            for name in sub if isinstance(sub, list) else [sub]:
                if name not in _TYPES:
                    raise ValueError(f"type {name!r} is not supported by this validator")
