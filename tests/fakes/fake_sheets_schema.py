"""Check request bodies, query parameters and field masks against Google's discovery document.

The fake Sheets API rejects, as Google does, any body with a field the API does
not have, a value of the wrong JSON type or outside an enum, a `Request` that
sets no kind or two, and any field mask naming a field that does not exist.
Messages copy the wording of Google's own 400 answers ("Invalid JSON payload
received. Unknown name ...") with protobuf's snake_case field paths.
"""

from __future__ import annotations

import re
from typing import Any

GLOBAL_NOTE = "Cannot bind query parameter."
_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")

# Field masks of update requests are rooted at these types.
MASK_ROOTS = {
    "UpdateCellsRequest": "CellData", "RepeatCellRequest": "CellData",
    "UpdateSheetPropertiesRequest": "SheetProperties",
    "UpdateDimensionPropertiesRequest": "DimensionProperties",
    "UpdateProtectedRangeRequest": "ProtectedRange",
    "UpdateSpreadsheetPropertiesRequest": "SpreadsheetProperties",
    "UpdateEmbeddedObjectPositionRequest": "EmbeddedObjectPosition",
}


def snake(name: str) -> str:
    """camelCase → snake_case, as protobuf names fields in error messages."""
    return _SNAKE.sub("_", name).lower()


class Violation(Exception):
    """One reason a request is invalid: `field` (protobuf path) and Google-style `description`."""

    def __init__(self, field: str, description: str):
        super().__init__(description)
        self.field = field
        self.description = description


class Discovery:
    """The schemas and methods of one discovery document (sheets.v4.json)."""

    def __init__(self, doc: dict):
        self.schemas: dict[str, dict] = doc["schemas"]
        self.global_params: dict[str, dict] = doc.get("parameters", {})
        self.methods: dict[str, dict] = {}
        self._collect(doc.get("resources", {}))

    def _collect(self, resources: dict) -> None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                self.methods[method["id"]] = method
            self._collect(resource.get("resources", {}))

    # --- bodies ------------------------------------------------------------------------------

    def check_body(self, body: Any, schema: str, root: str = "") -> None:
        """Raise `Violation` for the first problem of `body` as an instance of `schema`.

        `root` is the name of the body in the request message ("data" for values.update),
        which Google puts in front of field paths in its messages.
        """
        self._object(body, self.schemas[schema], root)

    def _object(self, value: Any, schema: dict, path: str) -> None:
        if not isinstance(value, dict):
            raise Violation(path, f"Invalid value at '{path}' ({schema.get('id', 'object')}), {value!r}")
        props = schema.get("properties", {})
        if schema.get("id") == "Request":
            kinds = [k for k, v in value.items() if v is not None]
            if not kinds:
                raise Violation(path, f"Invalid {path or 'request'}: No request set.")
            if len(kinds) > 1:
                raise Violation(path, "Invalid JSON payload received. Oneof field 'kind' is already "
                                      f"set. Cannot set '{kinds[1]}'")
        for key, item in value.items():
            child = f"{path}.{snake(key)}" if path else snake(key)
            if key not in props:
                message = (f"Invalid JSON payload received. Unknown name \"{key}\" at '{path}': Cannot "
                           "find field." if path else
                           f"Invalid JSON payload received. Unknown name \"{key}\": Cannot find field.")
                raise Violation(path, message)
            if item is not None:  # protobuf JSON reads null as "not set"
                self._value(item, props[key], child)
        root = MASK_ROOTS.get(schema.get("id", ""))
        if root and value.get("fields") is not None:
            try:
                self.check_mask(value["fields"], root)
            except Violation as exc:
                raise Violation(f"{path}.fields", f"Invalid {path}: {exc.description}") from None

    def _value(self, value: Any, spec: dict, path: str) -> None:
        if "$ref" in spec:
            self._object(value, self.schemas[spec["$ref"]], path)
            return
        kind, fmt = spec.get("type"), spec.get("format")
        if kind == "any":
            return
        if kind == "array":
            if not isinstance(value, list):
                raise Violation(path, f"Invalid value at '{path}' (type.googleapis.com/google.protobuf."
                                      f"ListValue), {_show(value)}")
            for i, item in enumerate(value):
                if item is not None:
                    self._value(item, spec["items"], f"{path}[{i}]")
            return
        if kind == "object":
            if not isinstance(value, dict):
                raise Violation(path, f"Invalid value at '{path}' (map), {value!r}")
            for key, item in value.items():
                self._value(item, spec.get("additionalProperties", {"type": "any"}), f"{path}[{key}]")
            return
        if not _scalar_ok(value, kind, fmt):
            label = {"integer": "TYPE_INT32", "number": "TYPE_DOUBLE", "boolean": "TYPE_BOOL"}.get(
                kind, "TYPE_STRING")
            raise Violation(path, f"Invalid value at '{path}' ({label}), {_show(value)}")
        if "enum" in spec and value not in spec["enum"]:
            raise Violation(path, f"Invalid value at '{path}' (enum), {_show(value)}")

    # --- query parameters ---------------------------------------------------------------------

    def check_params(self, method_id: str, params: dict[str, list[str]]) -> None:
        """Raise `Violation` for an unknown query parameter or a value not of its type/enum."""
        known = self.methods[method_id].get("parameters", {})
        for name, values in params.items():
            spec = known.get(name) or self.global_params.get(name)
            if spec is None or spec.get("location") == "path":
                raise Violation(name, f"Invalid JSON payload received. Unknown name \"{name}\": "
                                      f"{GLOBAL_NOTE} Field '{name}' could not be found in request message.")
            if len(values) > 1 and not spec.get("repeated"):
                raise Violation(name, f"Invalid value at '{snake(name)}': repeated")
            for value in values:
                if "enum" in spec and value not in spec["enum"]:
                    raise Violation(snake(name), f"Invalid value at '{snake(name)}' (enum), \"{value}\"")
                if spec.get("type") == "boolean" and value.lower() not in ("true", "false"):
                    raise Violation(snake(name), f"Invalid value at '{snake(name)}' (TYPE_BOOL), \"{value}\"")

    # --- field masks -------------------------------------------------------------------------

    def check_mask(self, mask: str, schema: str) -> None:
        """Raise `Violation` when `mask` names a field `schema` does not have."""
        try:
            tree = parse_mask(mask)
        except ValueError as exc:
            raise Violation("fields", f"Invalid field mask: '{mask}' ({exc})") from None
        self._mask(tree, schema, "")

    def _mask(self, tree: dict, schema: str, prefix: str) -> None:
        props = self.schemas[schema].get("properties", {})
        for name, sub in tree.items():
            if name == "*":
                continue
            if name not in props:
                raise Violation("fields", f"Invalid field selection {prefix}{name}")
            if sub:
                spec = props[name]
                spec = spec.get("items", spec)
                if "$ref" not in spec:
                    raise Violation("fields", f"Invalid field selection {prefix}{name}")
                self._mask(sub, spec["$ref"], f"{prefix}{name}.")


def parse_mask(mask: str) -> dict:
    """A field mask ("a,b.c,d(e,f(g))") as a tree {name: subtree or {} for the whole field}.

    Examples:
        >>> parse_mask("sheets(properties(sheetId,title),charts),spreadsheetId")
        {'sheets': {'properties': {'sheetId': {}, 'title': {}}, 'charts': {}}, 'spreadsheetId': {}}
        >>> parse_mask("userEnteredFormat.textFormat.bold")
        {'userEnteredFormat': {'textFormat': {'bold': {}}}}
    """
    tree: dict = {}
    text = mask.replace(" ", "").replace("/", ".")  # Google also takes "a/b" for "a.b"
    pos = _parse_list(text, 0, tree)
    if pos != len(text):
        raise ValueError(f"unexpected ')' at {pos}")
    return tree


def _parse_list(text: str, pos: int, tree: dict) -> int:
    while pos < len(text):
        match = re.compile(r"[A-Za-z0-9_*]+(\.[A-Za-z0-9_*]+)*").match(text, pos)
        if not match:
            raise ValueError(f"bad field at {pos}")
        node = tree
        for part in match[0].split("."):
            node = node.setdefault(part, {})
        pos = match.end()
        if pos < len(text) and text[pos] == "(":
            pos = _parse_list(text, pos + 1, node)
            if pos >= len(text) or text[pos] != ")":
                raise ValueError("missing ')'")
            pos += 1
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def apply_mask(value: Any, tree: dict) -> Any:
    """`value` keeping only the fields in the mask tree (a whole field where the subtree is empty)."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: apply_mask(value[key], sub) for key, sub in tree.items() if key in value}


def _scalar_ok(value: Any, kind: str | None, fmt: str | None) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string" and fmt == "int64":
        return isinstance(value, str | int) and not isinstance(value, bool)
    return isinstance(value, str)


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
