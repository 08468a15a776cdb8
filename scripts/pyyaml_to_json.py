#!/usr/bin/env python3
"""What LiteLLM gets from each YAML file, as JSON: the reference for Mapping's YAML loader tests.

    python3 scripts/pyyaml_to_json.py FILE...

Prints one JSON object per line, in argument order:
    {"file": FILE, "value": <the loaded document as JSON>}    when yaml.safe_load accepts the file
    {"file": FILE, "error": "<exception type>: <message>"}    when it does not

Files are read as LiteLLM reads its config: opened as UTF-8 text (universal newlines), then yaml.safe_load (the pure
Python loader). The loaded value becomes JSON the way YAMLNode.json documents it:
  - dict keys become strings as json.dumps makes them (1 -> "1", 1.5 -> "1.5", True -> "true", None -> "null",
    NaN/inf -> "NaN"/"Infinity"/"-Infinity"); when two keys become the same string the later one wins;
  - dates and datetimes are str() of them ("2024-02-01", "2001-12-14 21:59:43.100000-05:00"), what default=str gives;
  - bytes (!!binary) are standard base64; NaN and infinities are null;
  - a set (!!set) is an object whose values are null; tuples (!!omap, !!pairs) are arrays.
Output objects have sorted keys. Exit status: 0, or 2 when PyYAML is missing.
"""
import base64
import datetime
import json
import math
import sys

try:
    import yaml
except ImportError:
    sys.stderr.write("PyYAML is not installed: install python3-yaml (apt) or PyYAML (pip)\n")
    sys.exit(2)


def key_text(k):
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        if math.isnan(k):
            return "NaN"
        if math.isinf(k):
            return "Infinity" if k > 0 else "-Infinity"
        return repr(k)
    if isinstance(k, bytes):
        return base64.b64encode(k).decode("ascii")
    if isinstance(k, (datetime.date, datetime.datetime)):
        return str(k)
    raise TypeError("unexpected key type %s" % type(k).__name__)


def to_json(o):
    if isinstance(o, dict):
        out = {}
        for k, v in o.items():
            out[key_text(k)] = to_json(v)
        return out
    if isinstance(o, (set, frozenset)):
        return {key_text(k): None for k in o}
    if isinstance(o, (list, tuple)):
        return [to_json(v) for v in o]
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if o is None or isinstance(o, (bool, int, str)):
        return o
    if isinstance(o, bytes):
        return base64.b64encode(o).decode("ascii")
    if isinstance(o, (datetime.date, datetime.datetime)):
        return str(o)
    raise TypeError("unexpected value type %s" % type(o).__name__)


def main(paths):
    for path in paths:
        try:
            with open(path, "r", encoding="utf-8") as f:
                loaded = yaml.safe_load(f)
        except RecursionError:
            line = {"file": path, "error": "RecursionError: structure too deep or recursive"}
        except Exception as e:  # noqa: BLE001 - every failure to load is a result here
            line = {"file": path, "error": "%s: %s" % (type(e).__name__, " ".join(str(e).split()))}
        else:
            # A failure to convert is this script's bug, not PyYAML refusing the file: it is not caught, except a
            # value PyYAML built that contains itself (`&a [*a]`), which has no JSON form.
            try:
                line = {"file": path, "value": to_json(loaded)}
            except RecursionError:
                line = {"file": path, "error": "RecursionError: structure too deep or recursive"}
        sys.stdout.write(json.dumps(line, sort_keys=True, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
