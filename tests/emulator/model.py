"""The service model (model/service-2.json, botocore's, Apache-2.0) and generic input validation.

The wording of validation errors follows a cognito-identity wire capture
(aws-amplify/amplify-swift#2864: `x-amzn-ErrorType: ValidationException:`,
"1 validation error detected: Value '...' at 'identityPoolId' failed to satisfy
constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+")
and the usual Coral texts for length, range, null and enum constraints.
"""
import json
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


class SerializationError(Exception):
    """A JSON value of the wrong type (the service: SerializationException)."""


def _unicode_class_matcher(pattern):
    """Patterns like [\\p{L}\\p{M}...]+ (Java classes Python's re lacks): a per-character check."""
    m = re.fullmatch(r"\[((?:\\p\{[A-Z]\})+)\]([+*])", pattern)
    if not m:
        return None
    cats = set(re.findall(r"\\p\{([A-Z])\}", m.group(1)))
    least = 1 if m.group(2) == "+" else 0
    return lambda s: len(s) >= least and all(unicodedata.category(c)[0] in cats for c in s)


class Model:
    def __init__(self, path=None):
        path = path or os.path.join(HERE, "model", "service-2.json")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.metadata = data["metadata"]
        self.operations = data["operations"]
        self.shapes = data["shapes"]
        self._patterns = {}

    def input_shape(self, operation):
        return self.operations[operation].get("input", {}).get("shape")

    def is_unsigned(self, operation):
        op = self.operations[operation]
        return op.get("authtype") == "none" or op.get("auth") == ["smithy.api#noAuth"]

    def _match(self, pattern, value):
        fn = self._patterns.get(pattern)
        if fn is None:
            fn = _unicode_class_matcher(pattern)
            if fn is None:
                # The service is Java: \w and \s are ASCII classes there, and matches() is whole-string.
                rx = re.compile(pattern, re.ASCII | re.DOTALL)
                fn = lambda s, rx=rx: rx.fullmatch(s) is not None  # noqa: E731
            self._patterns[pattern] = fn
        return fn(value)

    def validate(self, operation, params):
        """Returns a list of validation messages (empty when valid); raises SerializationError on type errors."""
        errors = []
        shape = self.input_shape(operation)
        if shape:
            if not isinstance(params, dict):
                raise SerializationError("Start of structure or map found where not expected.")
            self._check_struct(shape, params, "", errors)
        return errors

    @staticmethod
    def _name(member):
        return member[:1].lower() + member[1:]

    @staticmethod
    def _show(value):
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "'" + ("true" if value else "false") + "'"
        if isinstance(value, dict):
            return "'{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}'"
        if isinstance(value, list):
            return "'[" + ", ".join(str(v) for v in value) + "]'"
        return f"'{value}'"

    def _err(self, errors, value, path, constraint):
        errors.append(f"Value {self._show(value)} at '{path}' failed to satisfy constraint: {constraint}")

    def _check_struct(self, shape_name, value, path, errors):
        shape = self.shapes[shape_name]
        required = set(shape.get("required", []))
        for member, ref in shape.get("members", {}).items():
            p = (path + "." if path else "") + self._name(member)
            v = value.get(member)
            if v is None:
                if member in required:
                    self._err(errors, None, p, "Member must not be null")
                continue
            self._check(ref["shape"], v, p, errors)

    def _check(self, shape_name, value, path, errors):
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            if not isinstance(value, dict):
                raise SerializationError(f"Expected a structure at '{path}'")
            self._check_struct(shape_name, value, path, errors)
        elif t == "string":
            if not isinstance(value, str):
                raise SerializationError(f"Expected a string at '{path}', got {type(value).__name__}")
            self._check_len(shape, value, len(value), path, errors)
            if "pattern" in shape and not self._match(shape["pattern"], value):
                self._err(errors, value, path, f"Member must satisfy regular expression pattern: {shape['pattern']}")
            if "enum" in shape and value not in shape["enum"]:
                self._err(errors, value, path, f"Member must satisfy enum value set: [{', '.join(shape['enum'])}]")
        elif t == "boolean":
            if not isinstance(value, bool):
                raise SerializationError(f"Expected a boolean at '{path}'")
        elif t in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
                raise SerializationError(f"Expected an integer at '{path}'")
            if "min" in shape and value < shape["min"]:
                self._err(errors, value, path, f"Member must have value greater than or equal to {shape['min']}")
            if "max" in shape and value > shape["max"]:
                self._err(errors, value, path, f"Member must have value less than or equal to {shape['max']}")
        elif t == "timestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise SerializationError(f"Expected a timestamp at '{path}'")
        elif t == "list":
            if not isinstance(value, list):
                raise SerializationError(f"Expected a list at '{path}'")
            self._check_len(shape, value, len(value), path, errors)
            for i, item in enumerate(value, 1):
                if item is None:
                    self._err(errors, None, f"{path}.{i}.member", "Member must not be null")
                    continue
                self._check(shape["member"]["shape"], item, f"{path}.{i}.member", errors)
        elif t == "map":
            if not isinstance(value, dict):
                raise SerializationError(f"Expected a map at '{path}'")
            self._check_len(shape, value, len(value), path, errors)
            key_errors = []
            for k, v in value.items():
                self._check(shape["key"]["shape"], k, f"{path}.key", key_errors)
                if v is None:
                    self._err(errors, None, f"{path}.{k}.value", "Member must not be null")
                    continue
                self._check(shape["value"]["shape"], v, f"{path}.{k}.value", errors)
            errors.extend(
                e.replace("failed to satisfy constraint: ", "failed to satisfy constraint: Map keys must satisfy "
                          "constraint: [", 1) + "]" for e in key_errors
            )

    def _check_len(self, shape, value, n, path, errors):
        if "min" in shape and n < shape["min"]:
            self._err(errors, value, path, f"Member must have length greater than or equal to {shape['min']}")
        if "max" in shape and n > shape["max"]:
            self._err(errors, value, path, f"Member must have length less than or equal to {shape['max']}")


def validation_message(errors):
    n = len(errors)
    head = f"{n} validation error{'s' if n > 1 else ''} detected: "
    return head + "; ".join(errors)
