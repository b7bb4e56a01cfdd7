#!/usr/bin/env python3
"""Packs a simulated run as a capture bundle, the seed input of fuzz-bundle.

Usage: make-bundle-seed.py TRACE.json HOST-A.pcap HOST-B.pcap OUT

TRACE.json is `tcpladder run FILE --json`, the pcaps the same run written
with `--pcap FILE --vantage a` and `--vantage b` (raw IPv4, times from
TL_PCAP_EPOCH).  OUT gets the bundle's files as "@@ NAME" sections, the
packing tests/fuzz/tl-fuzz.c unpacks: meta.json, host-A.pcap, host-B.pcap,
router.jsonl, calls.jsonl and states.jsonl, laid out as
docs/capture-bundle.md and io/tl-bundle.c describe.  The frame numbers in
router.jsonl follow the pcaps' order: each host's SENDs and DELIVERs to it,
in trace order.
"""
import json
import sys

EPOCH_NS = 1700000000 * 1000000000
ERRNO = {"EINPROGRESS": 115, "ECONNREFUSED": 111, "ETIMEDOUT": 110,
         "ECONNRESET": 104, "EPIPE": 32, "ENOTCONN": 107, "EISCONN": 106,
         "EADDRINUSE": 98, "EALREADY": 114, "EINVAL": 22}


def errno_of(value):
    if isinstance(value, int):
        return value
    return ERRNO.get(value, 0)


def main():
    trace_path, pcap_a, pcap_b, out_path = sys.argv[1:5]
    with open(trace_path) as f:
        trace = json.load(f)
    names = [h["name"] for h in trace["hosts"]]
    meta = {
        "format": "tcpladder-capture",
        "version": 1,
        "hosts": trace["hosts"],
        "start": {"realtime_ns": EPOCH_NS},
        "end_ns": trace["end_time_ns"],
        "scenario": {
            "name": trace.get("title"),
            "caption": trace.get("caption"),
        },
    }
    if trace.get("has_router"):
        meta["scenario"]["router"] = {"pauses": trace.get("pauses", [])}

    frames = [0, 0]
    router, calls, states = [], [], []
    for rec in trace["records"]:
        kind, host, t = rec["kind"], rec["host"], rec["time_ns"]
        if kind == "send":
            frames[host] += 1
            router.append({"time_ns": t, "event": "send", "packet": rec["packet"],
                           "from": names[host], "to": names[1 - host],
                           "frame": frames[host]})
        elif kind == "deliver":
            frames[host] += 1
            router.append({"time_ns": t, "event": "deliver", "packet": rec["packet"],
                           "frame": frames[host]})
        elif kind in ("router-in", "hold", "release"):
            router.append({"time_ns": t, "event": kind, "packet": rec["packet"]})
        elif kind == "drop":
            where = "router" if host == 2 else names[host]
            router.append({"time_ns": t, "event": "drop", "packet": rec["packet"],
                           "where": where, "reason": rec["drop_reason"]})
        elif kind in ("pause", "resume"):
            router.append({"time_ns": t, "event": kind})
        elif kind in ("call", "call-result"):
            line = {"time_ns": t, "event": "call" if kind == "call" else "result",
                    "host": names[host], "call": rec["call"],
                    "errno": errno_of(rec["error"]), "socket": rec["socket"]}
            if rec["call"] == "send":
                line["args"] = {"bytes": rec["arg"]}
            calls.append(line)
        elif kind == "state":
            states.append({"time_ns": t, "host": names[host], "socket": rec["socket"],
                           "old": rec["old_state"], "new": rec["new_state"]})

    def jsonl(lines):
        return "".join(json.dumps(x) + "\n" for x in lines).encode()

    with open(pcap_a, "rb") as f:
        host_a = f.read()
    with open(pcap_b, "rb") as f:
        host_b = f.read()
    with open(out_path, "wb") as out:
        for name, body in (("meta.json", json.dumps(meta).encode() + b"\n"),
                           ("host-A.pcap", host_a), ("host-B.pcap", host_b),
                           ("router.jsonl", jsonl(router)), ("calls.jsonl", jsonl(calls)),
                           ("states.jsonl", jsonl(states))):
            out.write(b"@@ " + name.encode() + b"\n" + body + b"\n")


if __name__ == "__main__":
    main()
