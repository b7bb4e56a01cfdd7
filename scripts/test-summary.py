#!/usr/bin/env python3
"""Prints "tests: N passed, N failed, N skipped" from a meson testlog.json."""
import json
import sys

counts = {}
with open(sys.argv[1]) as log:
    for line in log:
        line = line.strip()
        if line:
            result = json.loads(line).get("result", "ERROR")
            counts[result] = counts.get(result, 0) + 1
passed = counts.get("OK", 0) + counts.get("EXPECTEDFAIL", 0)
failed = sum(counts.get(k, 0) for k in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS"))
print(f"tests: {passed} passed, {failed} failed, {counts.get('SKIP', 0)} skipped")
