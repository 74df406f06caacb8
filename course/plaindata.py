"""Values as plain data: what crosses between a learner's kernel and the grader.

At grading, a learner's kernel only *produces* data: what their functions return, the
arguments after a call, the warnings raised. It is sent as JSON text built by
`encode`; the grader rebuilds it with `decode`, which accepts nothing but these forms:

    None, bool, int, float (NaN and ±inf included), str, list
    {"tuple": [...]}                       a tuple
    {"dict": [[key, value], ...]}          a dict (keys of any of these forms)
    {"array": [dtype, shape, base64]}      a NumPy array of a numeric or bool dtype
    {"scalar": [dtype, value]}             a NumPy scalar (np.float32(2.0), np.int64(3))
    {"other": "type name"}                 anything else (a function, an object): its type only
    {"callback": id, "label": "..."}       a function of the grader's, called over the wire

So nothing a learner's code returns can run code in the grader, be a subclass with a
forged `__eq__`, or be larger than the grader allows. Self-study checks send results
through the same two functions, so a learner sees the verdicts their grader will give.
Kernel side (`encode`) and grader side (`decode`) share this one module: both need the
same forms, and neither imports anything beyond the standard library and NumPy.
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np

MAX_DEPTH = 32
MAX_ITEMS = 20_000_000  # array elements and container items in one message, in all
MAX_TEXT = 256 * 2**20  # characters of one JSON message
DTYPES = frozenset(["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                    "uint64", "float16", "float32", "float64", "complex64", "complex128"])


class NotPlainData(ValueError):
    """The text is not a value in the forms above (or is too large)."""


class Other:
    """Stands for a value that is not plain data: only its type name came across."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Other) and other.type_name == self.type_name

    __hash__ = None


# --- kernel side ----------------------------------------------------------------------
def to_plain(value, callback_id=None, depth: int = 0):
    """`value` as JSON-able forms; `callback_id(fn)` numbers the functions sent as
    callbacks (None: not one, sent as "other")."""
    if depth > MAX_DEPTH:
        return {"other": "too deeply nested value"}
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.name not in DTYPES:
            return {"other": f"NumPy array of {value.dtype.name}"}
        data = np.ascontiguousarray(value).tobytes()
        return {"array": [value.dtype.name, list(value.shape),
                          base64.b64encode(data).decode("ascii")]}
    if isinstance(value, np.generic):
        if value.dtype.name not in DTYPES:
            return {"other": f"NumPy {value.dtype.name}"}
        item = value.item()
        return {"scalar": [value.dtype.name, [item.real, item.imag]
                           if isinstance(item, complex) else item]}
    if isinstance(value, tuple):
        return {"tuple": [to_plain(v, callback_id, depth + 1) for v in value]}
    if isinstance(value, list):
        return [to_plain(v, callback_id, depth + 1) for v in value]
    if isinstance(value, dict):
        return {"dict": [[to_plain(k, callback_id, depth + 1), to_plain(v, callback_id, depth + 1)]
                         for k, v in value.items()]}
    for plain in (int, float, str):  # a subclass: keep the plain value only
        if isinstance(value, plain):
            return plain(value)
    number = callback_id(value) if callable(value) and callback_id is not None else None
    if number is not None:
        return {"callback": number, "label": str(getattr(value, "label", ""))[:200]}
    return {"other": type(value).__name__[:100]}


def encode(value, callback_id=None) -> str:
    return json.dumps(to_plain(value, callback_id), allow_nan=True)


# --- grader side --------------------------------------------------------------------------
def decode(text: str, make_callback=None):
    """The value `text` encodes; NotPlainData if it is anything else.

    `make_callback(id, label)` rebuilds a callback (kernel side only); without it a
    callback form is refused."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise NotPlainData("not a message of plain data (or more than the grader accepts)")
    try:
        tree = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise NotPlainData(f"not JSON: {error}") from None
    budget = [MAX_ITEMS]
    return _from_plain(tree, make_callback, 0, budget)


def _from_plain(tree, make_callback, depth, budget):
    if depth > MAX_DEPTH:
        raise NotPlainData("nested too deeply")
    budget[0] -= 1
    if budget[0] < 0:
        raise NotPlainData("too many items")
    if tree is None or type(tree) in (bool, str):
        return tree
    if type(tree) is int:
        if abs(tree) >= 2**64:
            raise NotPlainData("an integer too large")
        return tree
    if type(tree) is float:
        return tree
    if type(tree) is list:
        return [_from_plain(v, make_callback, depth + 1, budget) for v in tree]
    if type(tree) is not dict or len(tree) not in (1, 2):
        raise NotPlainData("an unknown form")
    kind = next(iter(tree))
    body = tree[kind]
    if kind == "tuple" and type(body) is list:
        return tuple(_from_plain(v, make_callback, depth + 1, budget) for v in body)
    if kind == "dict" and type(body) is list:
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise NotPlainData("a dict entry that is not a pair")
            key = _from_plain(pair[0], make_callback, depth + 1, budget)
            try:
                out[key] = _from_plain(pair[1], make_callback, depth + 1, budget)
            except TypeError:  # an unhashable key
                raise NotPlainData("a dict key that is not hashable") from None
        return out
    if kind == "array":
        return _array(body, budget)
    if kind == "scalar" and type(body) is list and len(body) == 2 and body[0] in DTYPES:
        value = complex(*body[1]) if body[0].startswith("complex") else body[1]
        if type(value) not in (bool, int, float, complex):
            raise NotPlainData("a NumPy scalar that is not a number")
        try:
            return np.dtype(body[0]).type(value)
        except (OverflowError, ValueError):
            raise NotPlainData("a NumPy scalar out of its type's range") from None
    if kind == "other" and type(body) is str:
        return Other(body[:100])
    if kind == "callback" and make_callback is not None:
        return make_callback(body, str(tree.get("label", "")))
    raise NotPlainData(f"an unknown form {kind[:20]!r}")


def _array(body, budget):
    if (type(body) is not list or len(body) != 3 or body[0] not in DTYPES
            or type(body[1]) is not list or type(body[2]) is not str
            or not all(type(n) is int and 0 <= n for n in body[1]) or len(body[1]) > 32):
        raise NotPlainData("a malformed array")
    dtype, shape = np.dtype(body[0]), tuple(body[1])
    size = math.prod(shape)
    budget[0] -= size
    if budget[0] < 0:
        raise NotPlainData("an array too large")
    try:
        data = base64.b64decode(body[2], validate=True)
    except ValueError:
        raise NotPlainData("an array whose data is not base64") from None
    if len(data) != size * dtype.itemsize:
        raise NotPlainData("an array whose data does not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
