"""Runs an Azure ML batch scoring script for Sluice: init() once, then run(mini_batch) per request.

Protocol: JSON lines on the original standard output; the script's own prints and errors go to the worker's log
files (file descriptors 1 and 2 are redirected to them), so they can never corrupt the protocol.
Requests:  {"id": 1, "files": ["/path/a.csv", ...]}
Replies:   {"id": 1, "columns": [...], "rows": [[...], ...]}  or  {"id": 1, "error": "Type", "message": "...", "traceback": "..."}
"""
import importlib.util
import json
import math
import os
import sys
import traceback


def _protocol_channel(stdout_log, stderr_log):
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    out = os.open(stdout_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    err = os.open(stderr_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
    sys.stderr = os.fdopen(2, "w", buffering=1, encoding="utf-8")
    return channel


def _send(channel, message):
    channel.write(json.dumps(message, default=str, allow_nan=False) + "\n")
    channel.flush()


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return str(value)


def _table(result):
    """Turns what run() returned into (columns, rows): a DataFrame, or a list of dicts, sequences or scalars."""
    if result is None:
        return [], []
    if hasattr(result, "columns") and hasattr(result, "itertuples"):  # pandas.DataFrame
        columns = [str(c) for c in result.columns]
        return columns, [[_cell(v) for v in row] for row in result.itertuples(index=False, name=None)]
    items = list(result)
    if not items:
        return [], []
    first = items[0]
    if isinstance(first, dict):
        columns = [str(k) for k in first.keys()]
        return columns, [[_cell(item.get(k)) for k in first.keys()] for item in items]
    if isinstance(first, (list, tuple)):
        width = len(first)
        return [str(i) for i in range(width)], [[_cell(v) for v in item] for item in items]
    return ["result"], [[_cell(item)] for item in items]


def main():
    script, stdout_log, stderr_log = sys.argv[1], sys.argv[2], sys.argv[3]
    channel = _protocol_channel(stdout_log, stderr_log)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        spec = importlib.util.spec_from_file_location("scoring_script", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "init"):
            module.init()
        if not hasattr(module, "run"):
            raise AttributeError(f"{os.path.basename(script)} defines no run(mini_batch) function")
    except BaseException as error:  # noqa: BLE001 - every failure is reported, not raised
        traceback.print_exc()
        _send(channel, {"init_error": type(error).__name__, "message": str(error), "traceback": traceback.format_exc()})
        return 1
    _send(channel, {"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            columns, rows = _table(module.run(request["files"]))
            _send(channel, {"id": request["id"], "columns": columns, "rows": rows})
        except BaseException as error:  # noqa: BLE001
            traceback.print_exc()
            _send(channel, {"id": request["id"], "error": type(error).__name__, "message": str(error), "traceback": traceback.format_exc()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
