"""PostgreSQL binary COPY encoding of numpy columns, fully vectorised.

A tuple in the binary format is an int16 field count followed by, per field, an int32
byte length and the value in network byte order. All the columns of the hot tables are
fixed-width (uuid, date, smallint, integer, bigint, double precision, boolean), so a whole
batch is one numpy structured array whose layout *is* the wire format: no per-row Python.
"""

from __future__ import annotations

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
PG_EPOCH_DAY = np.datetime64("2000-01-01", "D")


def _wire(values: np.ndarray) -> tuple[str, np.ndarray]:
    """The wire dtype of a column and the column converted to it."""
    if values.ndim == 2 and values.dtype == np.uint8 and values.shape[1] == 16:
        return "V16", np.ascontiguousarray(values).view("V16")[:, 0]
    if values.dtype.kind == "M":
        return ">i4", (values.astype("datetime64[D]") - PG_EPOCH_DAY).astype(np.int32)
    if values.dtype == np.bool_:
        return "u1", values.astype(np.uint8)
    if values.dtype.kind in "iu":
        kind = {1: ">i2", 2: ">i2", 4: ">i4", 8: ">i8"}[values.dtype.itemsize]
        return kind, values
    if values.dtype.kind == "f":
        return ">f8", values
    raise TypeError(f"no binary COPY encoding for dtype {values.dtype}")


def encode(columns: list[np.ndarray], header: bool = True, trailer: bool = True) -> bytes:
    """Rows of the given equal-length columns in PostgreSQL's binary COPY format."""
    n = columns[0].shape[0]
    fields: list[tuple[str, str]] = [("count", ">i2")]
    converted: list[np.ndarray] = []
    template: list[int] = [len(columns)]
    for i, column in enumerate(columns):
        kind, values = _wire(column)
        fields += [(f"len{i}", ">i4"), (f"val{i}", kind)]
        converted.append(values)
        template += [np.dtype(kind).itemsize, 0]
    rows = np.empty(n, dtype=np.dtype(fields))
    constant = np.zeros(1, dtype=rows.dtype)
    for (name, _), value in zip(fields, template, strict=True):
        if not name.startswith("val"):
            constant[name] = value
    rows[:] = constant[0]
    for i, values in enumerate(converted):
        rows[f"val{i}"] = values
    return (HEADER if header else b"") + rows.tobytes() + (TRAILER if trailer else b"")
