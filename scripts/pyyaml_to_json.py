#!/usr/bin/env python3
"""Load YAML files the way LiteLLM does (yaml.safe_load on the file opened as UTF-8 text) and print, per file,
one JSON line: {"file": <argument>, "ok": true, "json": <value>} or {"file": ..., "ok": false, "error": <message>}.

<value> is json.dumps(safe_load(...)) with the conventions of YAMLNode.json in the Swift loader:
  - keys as json.dumps converts them (1 -> "1", True -> "true", None -> "null", floats by repr, nan -> "NaN");
    dates/datetimes by str() and bytes by base64, where json.dumps itself would fail;
  - NaN and +-inf values -> null; dates/datetimes -> str(); bytes -> base64;
  - sets -> an object whose values are null; tuples (from !!omap / !!pairs) -> lists.

Usage: python3 scripts/pyyaml_to_json.py FILE...
"""
import base64
import datetime
import json
import math
import sys

import yaml


def key_text(k):
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, float):
        if math.isnan(k):
            return "NaN"
        if math.isinf(k):
            return "Infinity" if k > 0 else "-Infinity"
        return repr(k)
    if isinstance(k, int):
        return str(k)
    if isinstance(k, (datetime.date, datetime.datetime)):
        return str(k)
    if isinstance(k, bytes):
        return base64.b64encode(k).decode("ascii")
    raise TypeError("unexpected key type %s" % type(k).__name__)


def canon(v):
    if isinstance(v, dict):
        out = {}
        for k, item in v.items():
            out[key_text(k)] = canon(item)
        return out
    if isinstance(v, (set, frozenset)):
        return {key_text(k): None for k in v}
    if isinstance(v, (list, tuple)):
        return [canon(item) for item in v]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (datetime.date, datetime.datetime)):
        return str(v)
    if isinstance(v, bytes):
        return base64.b64encode(v).decode("ascii")
    return v


def main(paths):
    for path in paths:
        record = {"file": path}
        try:
            with open(path, "r", encoding="utf-8") as f:
                data = yaml.safe_load(f)
            record["ok"] = True
            record["json"] = canon(data)
        except Exception as exc:  # any failure means LiteLLM could not load the file
            record["ok"] = False
            record["error"] = "%s: %s" % (type(exc).__name__, str(exc).replace("\n", " | "))
        print(json.dumps(record, sort_keys=True, ensure_ascii=False, allow_nan=False))


if __name__ == "__main__":
    main(sys.argv[1:])
