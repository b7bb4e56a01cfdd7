#!/usr/bin/env python3
"""Feeds tcpladder every class of bad input and tabulates what users see.

Usage: scripts/bad-input-table.py [--check] [--cli PATH]

Builds each bad input in a temporary directory (files are named there by
short relative names, so the messages read as a user would see them), runs
the tcpladder command a user would, and prints a Markdown table: the class,
how many inputs of it were tried, the exit status, and the exact first line
of the error.  docs/bad-input.md holds its output.

Every input must end with its expected exit status (2 bad command line, 3
bad input file, 4 output not written; 0 with a WARNING for a run cut short),
a message on standard error, no signal and no sanitizer report, and within
60 s.  Failed writes must leave the previous file in place and no temporary
file behind.  With --check the script exits 1 if any input breaks that,
except the classes marked as known bugs (listed separately).  TL_CLI or
--cli names the executable (default _build/cli/tcpladder).
"""
import argparse
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---- inputs ------------------------------------------------------------------

GOOD_SCENARIO = """name good
host A {
  address 10.0.0.1
  port    40000
}
host B {
  address 10.0.0.2
  port    8080
}
at 0s    B listen
at 100ms A connect B
at 500ms A send "hello"
at 1s    A close
at 1s    B close
"""

RUNAWAY_SCENARIO = """# More events than max-events allows: the run stops there.
name runaway
duration 3600s
max-events 100000
host A {
  address 10.0.0.1
  port    40000
  mss     88
}
host B {
  address 10.0.0.2
  port    80
}
at 0 B listen
at 0 A connect B
at 1s A send 16MiB
"""


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def ipv4(payload, proto=6, ihl=5, total=None, frag=0x4000, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02"):
    total = 20 + len(payload) if total is None else total
    head = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, frag, 64, proto, 0, src, dst)
    head = head[:10] + struct.pack("!H", checksum(head)) + head[12:]
    return head + payload


def tcp(flags=0x02, offset=5, sport=40000, dport=80, seq=1000):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, offset << 4, flags, 64240, 0, 0)


def pcap(frames, linktype=101, snaplen=65535, header=None):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)
    for i, frame in enumerate(frames):
        caplen, length = (len(frame), len(frame)) if header is None else header
        out += struct.pack("<IIII", 1700000000, i, caplen, length) + frame
    return out


def pcapng_header_only():
    shb_body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
    return struct.pack("<II", 0x0A0D0D0A, 12 + len(shb_body)) + shb_body + struct.pack("<I", 12 + len(shb_body))


def write(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    return path


class Runner:
    def __init__(self, cli, work):
        self.cli = cli
        self.work = work
        self.rows = []        # (section, class, count, statuses, message, problems, known)
        self.sections = []

    def run(self, args, stdin=None, known=False):
        env = dict(os.environ)
        if known:
            # A known bug's sanitizer report belongs to this table, not to
            # scripts/sanitize.sh's report directory.
            for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
                env[name] = env.get(name, "") + ":log_path=stderr"
        try:
            proc = subprocess.run([self.cli] + args, cwd=self.work, env=env, input=stdin,
                                  capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return None, "", "(no answer within 60 s)"
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"))

    def case(self, section, name, expect, commands, known=None, message_from="stderr", check=None):
        """COMMANDS: a list of argument lists, all of this class."""
        if section not in self.sections:
            self.sections.append(section)
        statuses, problems, message = [], [], None
        for args in commands:
            status, out, err = self.run(args, known=known is not None)
            statuses.append(status)
            text = err if message_from == "stderr" else out
            lines = [l for l in text.splitlines() if l.strip()]
            if message_from == "warning":
                lines = [l.strip() for l in lines if "WARNING" in l]
            first = lines[0] if lines else ""
            if message is None:
                message = first
            label = " ".join(args)
            if status is None:
                problems.append("%s: hangs" % label)
            elif status < 0 or status >= 128:
                problems.append("%s: killed by signal / exit %d" % (label, status))
            elif status != expect:
                problems.append("%s: exit %d, expected %d (%s)" % (label, status, expect, first))
            if "Sanitizer" in err or "runtime error:" in err:
                problems.append("%s: sanitizer report" % label)
            if not first:
                problems.append("%s: no message" % label)
            if check is not None:
                problem = check()
                if problem:
                    problems.append("%s: %s" % (label, problem))
        self.rows.append((section, name, len(commands), statuses, message or "", problems, known))


# ---- the classes -------------------------------------------------------------

def scenario_cases(r, w):
    S = "Scenario files (`tcpladder run FILE`)"
    r.case(S, "file does not exist", 3, [["run", "missing.scn"]])
    os.mkdir(os.path.join(w, "somedir"))
    r.case(S, "a directory", 3, [["run", "somedir"]])
    write(os.path.join(w, "empty.scn"), "")
    write(os.path.join(w, "comments.scn"), "# nothing but a comment\n\n   \n")
    r.case(S, "empty, or only comments and blank lines", 3,
           [["run", "empty.scn"], ["run", "comments.scn"], ["run", "/dev/null"]])
    write(os.path.join(w, "huge.scn"), GOOD_SCENARIO + "#" * (1024 * 1024) + "\n")
    r.case(S, "larger than 1 MiB", 3, [["run", "huge.scn"]])
    write(os.path.join(w, "nul.scn"), GOOD_SCENARIO.replace("good", "go\0od").encode())
    r.case(S, "NUL byte", 3, [["run", "nul.scn"]])
    write(os.path.join(w, "ctrl.scn"), GOOD_SCENARIO.replace("good", "go\x1bod"))
    r.case(S, "control character", 3, [["run", "ctrl.scn"]])
    rng = random.Random(1)
    garbage = []
    for i in range(20):
        name = "garbage-%d.scn" % i
        write(os.path.join(w, name), bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4096))))
        garbage.append(["run", name])
    r.case(S, "random bytes (20 files, 1 B to 4 KiB)", 3, garbage)
    truncated = []
    for cut in range(1, len(GOOD_SCENARIO) - 1, 7):
        name = "truncated-%d.scn" % cut
        write(os.path.join(w, name), GOOD_SCENARIO[:cut])
        truncated.append(["run", name])
    r.case(S, "a good file cut short at every 7th byte (%d files)" % len(truncated), 3, truncated)
    caps = os.path.join(ROOT, "data", "captures", "normal-handshake")
    if os.path.isdir(caps):
        shutil.copy(os.path.join(caps, "host-A.pcap"), os.path.join(w, "capture.pcap"))
        r.case(S, "a pcap given to `run` (which simulates scenarios)", 3, [["run", "capture.pcap"]])
    write(os.path.join(w, "trace.json"), '{"format": "tcpladder-trace", "version": 1}\n')
    r.case(S, "a JSON trace given to `run`", 3, [["run", "trace.json"]])
    write(os.path.join(w, "runaway.scn"), RUNAWAY_SCENARIO)
    r.case(S, "a run that would go on far longer (max-events 100000, 16 MiB at MSS 88)", 0,
           [["run", "runaway.scn", "-q"]], message_from="warning")

    B = "Scenario files: mistakes (`tests/bad-scenarios/`, one file each)"
    bad_dir = os.path.join(ROOT, "tests", "bad-scenarios")
    for name in sorted(os.listdir(bad_dir)):
        if name.endswith(".scn"):
            shutil.copy(os.path.join(bad_dir, name), os.path.join(w, name))
            r.case(B, name[:-4].replace("-", " "), 3, [["run", name]])


def option_cases(r, w):
    write(os.path.join(w, "good.scn"), GOOD_SCENARIO)
    C = "Command line"
    r.case(C, "no subcommand", 2, [[]])
    r.case(C, "unknown subcommand", 2, [["frobnicate"], ["rnu", "good.scn"]])
    r.case(C, "unknown option", 2, [["run", "--frobnicate", "good.scn"], ["export", "-Z", "good.scn"]])
    r.case(C, "missing or extra FILE", 2, [["run"], ["run", "good.scn", "good.scn"], ["export"],
                                            ["compare", "good.scn"]])
    r.case(C, "sweep without a scenario", 2, [["sweep"], ["sweep", "-q", "--vary", "seed=1,2"]])
    r.case(C, "bad --vantage", 2, [["run", "good.scn", "--vantage", "c", "--pcap", "x.pcap"]])
    r.case(C, "bad export size, format, time, theme", 2,
           [["export", "good.scn", "-o", "x.svg", "--width", "5"],
            ["export", "good.scn", "-o", "x.bmp"],
            ["export", "good.scn", "-o", "x.svg", "--from", "abc"],
            ["export", "good.scn", "-o", "x.svg", "--theme", "purple"],
            ["export", "good.scn", "-o", "x.svg", "--dpi", "-1"]])

    T = "`--set KEY=VALUE` (`tcpladder run`)"
    r.case(T, "no '='", 2, [["run", "good.scn", "--set", "seed"]])
    r.case(T, "unknown key", 2, [["run", "good.scn", "--set", "A.adress=10.0.0.5"],
                                 ["run", "good.scn", "--set", "C.port=80"],
                                 ["run", "good.scn", "--set", "=5"]])
    r.case(T, "bad value", 2, [["run", "good.scn", "--set", "A<->B.delay=fast"],
                               ["run", "good.scn", "--set", "A<->B.delay=10 ms"],
                               ["run", "good.scn", "--set", "A.port=70000"],
                               ["run", "good.scn", "--set", "seed=-1"],
                               ["run", "good.scn", "--set", "A->B.loss=101%"],
                               ["run", "good.scn", "--set", "A.address="]])
    r.case(T, "a call that does not exist", 2, [["run", "good.scn", "--set", "A.send.2.at=2s"],
                                                ["run", "good.scn", "--set", "B.connect.at=1s"]])
    r.case(T, "values fine alone, wrong together (checked after the last --set)", 3,
           [["run", "good.scn", "--set", "duration=50ms"],
            ["run", "good.scn", "--set", "B.address=10.0.0.1"]])

    V = "`--vary` / `--offset` (`tcpladder sweep`)"
    def sweep(arg, option="--vary"):
        return ["sweep", "good.scn", "-q", "-j", "1", "--csv", "out.csv", option, arg]
    r.case(V, "no '=' or no values", 2, [sweep("A<->B.delay"), sweep("A<->B.delay=")])
    r.case(V, "range without a step, zero or negative step", 2,
           [sweep("A<->B.delay=1ms..10ms"), sweep("A<->B.delay=1ms..10ms/0ms"),
            sweep("A<->B.delay=1ms..10ms/-1ms")])
    r.case(V, "FROM after TO", 2, [sweep("A<->B.delay=10ms..1ms/1ms")])
    r.case(V, "too many values", 2, [sweep("A<->B.delay=0ns..100s/1ns")])
    r.case(V, "mixed units, bad numbers", 2,
           [sweep("A<->B.delay=1ms..10/1ms"), sweep("A<->B.delay=1xs..2ms/1ms"),
            sweep("A<->B.delay=99999999999999999999s..1s/1s")])
    r.case(V, "unknown key", 2, [sweep("A.frobs=1..3/1")])
    r.case(V, "a value the key refuses", 2, [sweep("A.port=0..70000/10000")])
    r.case(V, "a value listed twice", 2, [sweep("seed=1,2,1")])
    r.case(V, "offset without a reference, or from itself", 2,
           [sweep("B.connect.at=0..1s/1ms", "--offset"),
            sweep("B.connect.at-B.connect.at=0..1s/1ms", "--offset")])


def trace_cases(r, w):
    good = os.path.join(w, "good.json")
    status, _, err = r.run(["run", "good.scn", "-q", "--json", "good.json", "--pcap", "good.pcap"])
    if status != 0:
        sys.exit("bad-input-table: cannot make a good trace: " + err)
    with open(good) as f:
        text = f.read()
    J = "JSON traces (`tcpladder export FILE.json -o out.txt`)"
    def export(name, data):
        write(os.path.join(w, name), data)
        return ["export", name, "-o", "out.txt"]
    body = text.rstrip()
    cut = [export("cut-%d.json" % i, text[:i]) for i in range(1, len(body), max(1, len(body) // 25))]
    r.case(J, "a good trace cut short (%d files)" % len(cut), 3, cut)
    r.case(J, "not a trace: `{}`, another object, another format, version 99", 3,
           [export("empty-object.json", "{}"), export("other.json", " {\"a\": [1, 2]}"),
            export("format.json", text.replace('"tcpladder-trace"', '"something-else"')),
            export("version.json", text.replace('"version":1', '"version":99', 1))])
    first = text.index('"records"')
    def in_records(old, new):
        return text[:first] + text[first:].replace(old, new, 1)
    r.case(J, "wrong value in a record", 3,
           [export("kind.json", in_records('"kind":"call"', '"kind":"teleport"')),
            export("time.json", in_records('"time_ns":0', '"time_ns":"soon"')),
            export("order.json", in_records('"time_ns":100000000', '"time_ns":99999999999')),
            export("host.json", in_records('"host":1', '"host":7')),
            export("state.json", in_records('"new_state":"LISTEN"', '"new_state":"DAZED"')),
            export("flags.json", in_records('"flags":"SYN"', '"flags":"SYN,WOBBLE"')),
            export("addr.json", text.replace('"addr":"10.0.0.1"', '"addr":"10.0.0.300"', 1))])
    r.case(J, "payload that is not base64, or not as long as the segment", 3,
           [export("payload.json", in_records('"payload":"aGVsbG8="', '"payload":"!!aGVsbG8="')),
            export("payload-len.json", in_records('"payload":"aGVsbG8="', '"payload":"AAAAaGVsbG8="'))])
    r.case(J, "a time beyond 64 bits (9223372036854775808 ns)", 3,
           [export("huge.json", in_records('"time_ns":0', '"time_ns":9223372036854775808'))])
    r.case(J, "NUL byte, invalid UTF-8", 3,
           [export("nul.json", text.replace('"good"', '"go\0od"', 1).encode()),
            export("utf8.json", text.replace('"good"', '"go\xffod"', 1).encode("latin-1"))])
    deep = "{\"a\":" + "[" * 120000 + "]" * 120000 + "}"
    r.case(J, "120000 nested arrays", 3, [export("deep.json", deep)])

    P = "Captures (`tcpladder export FILE.pcap -o out.txt`)"
    def cap(name, data):
        write(os.path.join(w, name), data)
        return ["export", name, "-o", "out.txt"]
    with open(os.path.join(w, "good.pcap"), "rb") as f:
        good_pcap = f.read()
    # Cut anywhere but between two records (that is a shorter, valid capture).
    boundaries, at = {24}, 24
    while at + 16 <= len(good_pcap):
        at += 16 + struct.unpack("<I", good_pcap[at + 8:at + 12])[0]
        boundaries.add(at)
    cuts = [c for c in range(4, len(good_pcap), max(1, len(good_pcap) // 25)) if c not in boundaries]
    r.case(P, "a good capture cut short (%d files)" % len(cuts), 3,
           [cap("cut-%d.pcap" % c, good_pcap[:c]) for c in cuts])
    syn = ipv4(tcp())
    r.case(P, "no packets, or no TCP (UDP, ICMP, IPv6, only fragments)", 3,
           [cap("nopackets.pcap", pcap([])),
            cap("udp.pcap", pcap([ipv4(b"\0" * 8, proto=17)])),
            cap("icmp.pcap", pcap([ipv4(b"\x08\0\0\0\0\0\0\0", proto=1)])),
            cap("ipv6.pcap", pcap([b"\x60" + b"\0" * 39 + tcp()])),
            cap("fragment.pcap", pcap([ipv4(tcp(), frag=0x2000 | 0)[:20] + b"\0" * 8,
                                       ipv4(b"\0" * 8, frag=1)]))])
    r.case(P, "a link type tcpladder does not read (USER0)", 3, [cap("linktype.pcap", pcap([syn], linktype=147))])
    r.case(P, "broken headers: IPv4 IHL 3, TCP data offset 2, IP length 10", 3,
           [cap("ihl.pcap", pcap([ipv4(tcp(), ihl=3)])),
            cap("doff.pcap", pcap([ipv4(tcp(offset=2))])),
            cap("iplen.pcap", pcap([ipv4(tcp(), total=10)]))])
    r.case(P, "record longer than the snapshot length, or 4 GiB long", 3,
           [cap("caplen.pcap", pcap([syn], snaplen=20, header=(len(syn), len(syn)))),
            cap("huge-caplen.pcap", pcap([syn], header=(0xFFFFFFF0, 0xFFFFFFF0)))])
    r.case(P, "pcapng with only a section header", 3, [cap("empty.pcapng", pcapng_header_only())])
    rng = random.Random(2)
    magic = struct.pack("<I", 0xA1B2C3D4)
    r.case(P, "pcap magic, then random bytes (20 files)", 3,
           [cap("random-%d.pcap" % i, magic + bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2000))))
            for i in range(20)])


def bundle_cases(r, w):
    base = os.path.join(ROOT, "data", "captures", "normal-handshake")
    if not os.path.isfile(os.path.join(base, "meta.json")):
        return
    D = "Capture bundles (`tcpladder export DIR -o out.txt`)"
    n = [0]
    def bundle(change=None, remove=None):
        n[0] += 1
        d = os.path.join(w, "bundle-%d" % n[0])
        shutil.copytree(base, d)
        if remove:
            os.unlink(os.path.join(d, remove))
        for name, func in (change or {}).items():
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(func(data))
        return ["export", os.path.basename(d), "-o", "out.txt"]
    os.mkdir(os.path.join(w, "emptydir"))
    r.case(D, "a directory that is no bundle, or lacks a file", 3,
           [["export", "emptydir", "-o", "out.txt"], bundle(remove="meta.json"),
            bundle(remove="host-A.pcap"), bundle(remove="router.jsonl"),
            bundle(remove="calls.jsonl"), bundle(remove="states.jsonl")])
    deep = lambda d: b"[" * 2000000 + b"\n"
    r.case(D, "JSON nested two million levels deep (meta.json, each .jsonl)", 3,
           [bundle({name: deep}) for name in ("meta.json", "router.jsonl", "calls.jsonl",
                                               "states.jsonl")])
    r.case(D, "meta.json: broken JSON, other format, missing hosts", 3,
           [bundle({"meta.json": lambda d: d[: len(d) // 2]}),
            bundle({"meta.json": lambda d: d.replace(b"tcpladder-capture", b"other", 1)}),
            bundle({"meta.json": lambda d: d.replace(b'"hosts"', b'"hostz"', 1)})])
    r.case(D, "router.jsonl: broken line, unknown event, frame not in the pcap", 3,
           [bundle({"router.jsonl": lambda d: d.replace(b"}", b"", 1)}),
            bundle({"router.jsonl": lambda d: d.replace(b'"event":"send"', b'"event":"sned"', 1)}),
            bundle({"router.jsonl": lambda d: d.replace(b'"frame":1', b'"frame":999', 1)})])
    r.case(D, "calls.jsonl / states.jsonl: unknown host, call or state", 3,
           [bundle({"calls.jsonl": lambda d: d.replace(b'"host":"A"', b'"host":"Q"', 1)}),
            bundle({"states.jsonl": lambda d: d.replace(b'"new":"', b'"new":"X', 1)})])
    r.case(D, "a pcap of the bundle cut short", 3,
           [bundle({"host-A.pcap": lambda d: d[: len(d) - 7]})])
    r.case(D, "router.jsonl: packet number 2147483647", 3,
           [bundle({"router.jsonl": lambda d: d.replace(b'"packet":1,', b'"packet":2147483647,', 1)})])
    r.case(D, "an empty meta.json", 3, [bundle({"meta.json": lambda d: b""})],
           known="io/tl-bundle.c:172 load_meta: json-glib critical on the NULL root before the "
                 "right message (meta.json: not a JSON object); "
                 "tests/fuzz/regressions/bundle/empty-meta.bundle")


def output_cases(r, w):
    O = "Outputs that cannot be written (nothing half-written is left)"
    write(os.path.join(w, "keep.svg"), "<svg>the previous picture</svg>\n")
    os.mkdir(os.path.join(w, "outdir"))
    def intact():
        with open(os.path.join(w, "keep.svg")) as f:
            if f.read() != "<svg>the previous picture</svg>\n":
                return "keep.svg was overwritten"
        left = [n for n in os.listdir(w)
                if (n.startswith("keep.svg") and n != "keep.svg") or n.startswith(".keep.svg")]
        return "temporary files left: %s" % left if left else None
    r.case(O, "directory that does not exist", 4,
           [["run", "good.scn", "-q", "--json", "nodir/x.json"],
            ["run", "good.scn", "-q", "--pcap", "nodir/x.pcap"],
            ["export", "good.scn", "-o", "nodir/x.svg"]])
    r.case(O, "the output path is a directory", 4,
           [["run", "good.scn", "-q", "--json", "outdir"],
            ["export", "good.scn", "-o", "outdir", "--format", "svg"]])
    r.case(O, "bad input with an existing output file", 3,
           [["export", "empty.scn", "-o", "keep.svg"]], check=intact)


# ---- the table ---------------------------------------------------------------

def status_text(statuses):
    seen = sorted(set("hang" if s is None else str(s) for s in statuses))
    return ", ".join(seen)


def merge_cases(r, w):
    M = "Sweep outputs (`tcpladder merge`)"
    sweep = ["sweep", "good.scn", "-q", "-j", "1", "--vary", "A<->B.delay=1ms..4ms/1ms"]
    for i in (1, 2):
        r.run(sweep + ["--shard", "%d/2" % i, "--jsonl", "s%d.jsonl" % i, "--csv", "s%d.csv" % i])
    r.run(["sweep", "good.scn", "-q", "-j", "1", "--vary", "A<->B.delay=1ms..4ms/1ms",
           "--set", "A.syn-retries=2", "--shard", "2/2", "--jsonl", "other.jsonl"])
    with open(os.path.join(w, "s2.jsonl"), "rb") as f:
        s2 = f.read()
    first, rest = s2.split(b"\n", 1)
    write(os.path.join(w, "bare.jsonl"), rest)
    write(os.path.join(w, "version.jsonl"), first.replace(b'"version":1', b'"version":9', 1) + b"\n" + rest)
    write(os.path.join(w, "points.jsonl"), first.replace(b'"points":4', b'"points":5', 1) + b"\n" + rest)
    write(os.path.join(w, "spec.jsonl"), first.replace(b"1ms..4ms", b"4ms..1ms", 1) + b"\n" + rest)
    write(os.path.join(w, "key.jsonl"), first.replace(b"A<->B.delay", b"A<->B.dealy", 1) + b"\n" + rest)
    write(os.path.join(w, "scn.jsonl"), first.replace(b"host A", b"hots A", 1) + b"\n" + rest)
    write(os.path.join(w, "cut.jsonl"), s2[:-5])
    r.case(M, "shards of different sweeps (another base scenario)", 3,
           [["merge", "m.jsonl", "s1.jsonl", "other.jsonl"]])
    r.case(M, "a shard without the line describing the sweep, or only that one with it", 3,
           [["merge", "m.jsonl", "s1.jsonl", "bare.jsonl"], ["merge", "m.jsonl", "bare.jsonl", "s1.jsonl"]])
    r.case(M, "the describing line: unknown version, wrong point count, bad range, unknown key, "
           "broken scenario", 3,
           [["merge", "m.jsonl", name] for name in
            ("version.jsonl", "points.jsonl", "spec.jsonl", "key.jsonl", "scn.jsonl")])
    write(os.path.join(w, "deep-first.jsonl"), b'{"sweep":' + b"[" * 2000000 + b"\n")
    write(os.path.join(w, "deep-row.jsonl"), first + b"\n" + b'{"index":' + b"[" * 2000000 + b"\n")
    r.case(M, "a line nested two million levels deep (the describing line, a row)", 3,
           [["merge", "m.jsonl", "deep-first.jsonl"], ["merge", "m.jsonl", "deep-row.jsonl"]])
    r.case(M, "CSV and JSON lines together; a file cut short", 3,
           [["merge", "m.jsonl", "s1.jsonl", "s2.csv"], ["merge", "m.jsonl", "s1.jsonl", "cut.jsonl"]])


def markdown(r):
    out = []
    total_inputs = 0
    for section in r.sections:
        out.append("\n### %s\n" % section)
        out.append("| bad input | tried | exit | what the user sees |")
        out.append("|-----------|------:|------|--------------------|")
        for sec, name, count, statuses, message, problems, known in r.rows:
            if sec != section:
                continue
            total_inputs += count
            shown = message.replace("|", "\\|")
            if known:
                shown = "**known bug**: " + known.replace("|", "\\|")
            elif problems:
                shown = "**PROBLEM**: " + "; ".join(problems).replace("|", "\\|")
            else:
                shown = "`%s`" % shown.replace("`", "'")
            out.append("| %s | %d | %s | %s |" % (name, count, status_text(statuses), shown))
    classes = len(r.rows)
    out.insert(0, "%d classes, %d inputs." % (classes, total_inputs))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--cli", default=os.environ.get("TL_CLI",
                                                        os.path.join(ROOT, "_build", "cli", "tcpladder")))
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    if not os.access(cli, os.X_OK):
        sys.exit("bad-input-table: no tcpladder at %s (build first, or --cli PATH)" % cli)

    work = tempfile.mkdtemp(prefix="tl-bad-input-")
    try:
        r = Runner(cli, work)
        scenario_cases(r, work)
        option_cases(r, work)
        trace_cases(r, work)
        bundle_cases(r, work)
        output_cases(r, work)
        merge_cases(r, work)
        sys.stdout.write(markdown(r))
        failed = [(name, p) for _, name, _, _, _, problems, known in r.rows for p in problems if not known]
        for name, p in failed:
            sys.stderr.write("bad-input-table: %s: %s\n" % (name, p))
        if args.check and failed:
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
