#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
"""Drive qlink-sim with plain transcripts over its pty.

Independent of libqlink on purpose: a test that used the host's parser
would share the host's bugs. Each transcript starts a fresh simulator.

Transcript lines:
  # comment
  ! ARGS...            start qlink-sim with these options (again: restart it)
  > TEXT               send TEXT + CR
  < TEXT               the next non-empty line is exactly TEXT
  <~ REGEX             the next non-empty line matches REGEX (fullmatch)
  << N REGEX           the next N non-empty lines all match REGEX
  <= file PATH         the next bytes are exactly PATH's content (payload)
  <= bytes N           the next N bytes, whatever they are (payload)
  <* TEXT              skip payload up to and including the line TEXT
  >= file PATH         send PATH's content raw (payload)
  >= text TEXT         send TEXT raw, no CR
  >= paced RATE file PATH  send PATH in 32-byte writes at RATE bytes/s
  +++ MS               send +++ framed by MS ms of silence on each side
  = CMD                run a shell command, which must succeed
  - MS                 nothing may arrive for MS ms (a negative check)
${NAME} is replaced by environment variables everywhere, ${size:PATH} by
the size of a file.
"""
import os
import re
import select
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("TRANSCRIPT_TIMEOUT", "20"))


class Fail(Exception):
    pass


def expand(text):
    def sub(m):
        if m.group(1) not in os.environ:
            raise Fail("unset variable ${%s}" % m.group(1))
        return os.environ[m.group(1)]

    def size(m):
        return str(os.path.getsize(expand(m.group(1))))
    text = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", sub, text)
    return re.sub(r"\$\{size:([^}]+)\}", size, text)


class Port:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        import termios
        import tty
        tty.setraw(self.fd, termios.TCSANOW)
        self.buf = b""
        self.log = []

    def fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.fd], [], [], left)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return True
        except OSError as e:
            raise Fail("port closed: %s" % e)
        self.buf += data
        return True

    def line(self):
        deadline = time.monotonic() + TIMEOUT
        while True:
            # lines are CR LF framed; empty ones separate responses
            while self.buf.startswith(b"\r\n"):
                self.buf = self.buf[2:]
            i = self.buf.find(b"\r\n")
            if i >= 0:
                text = self.buf[:i].rstrip(b"\r")  # an echoed command ends in CR
                self.buf = self.buf[i + 2:]
                return text.decode("latin-1")
            if not self.fill(deadline):
                raise Fail("timeout waiting for a line; have %r" % self.buf[:200])

    def take(self, n):
        deadline = time.monotonic() + TIMEOUT
        # the payload follows CONNECT's CR LF directly
        while len(self.buf) < n:
            if not self.fill(deadline):
                raise Fail("timeout: %d of %d payload bytes" % (len(self.buf), n))
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def quiet(self, ms):
        deadline = time.monotonic() + ms / 1000.0
        while time.monotonic() < deadline:
            if self.buf or self.fill(deadline):
                if self.buf:
                    raise Fail("expected silence, got %r" % self.buf[:200])

    def send(self, data):
        while data:
            try:
                n = os.write(self.fd, data)
            except BlockingIOError:
                select.select([], [self.fd], [], 1)
                continue
            data = data[n:]


def run(path, sim):
    lines = open(path, encoding="utf-8").read().splitlines()
    proc = None
    port = None
    try:
        for no, raw in enumerate(lines, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            op, _, arg = raw.partition(" ")
            try:
                arg = expand(arg)
                if op == "!":
                    if proc:
                        proc.terminate()
                        proc.wait(timeout=5)
                        os.close(port.fd)
                    proc = subprocess.Popen([sim] + arg.split(), stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True)
                    pty = proc.stdout.readline().strip()
                    if not pty:
                        raise Fail("qlink-sim did not start: " + proc.stderr.read())
                    port = Port(pty)
                elif op == ">":
                    port.send(arg.encode("latin-1") + b"\r")
                elif op == "<":
                    got = port.line()
                    if got != arg:
                        raise Fail("expected %r, got %r" % (arg, got))
                elif op == "<*":
                    while port.line() != arg:
                        pass
                elif op == "<<":
                    count, _, rx = arg.partition(" ")
                    for i in range(int(count)):
                        got = port.line()
                        if not re.fullmatch(rx, got):
                            raise Fail("line %d of %s: expected /%s/, got %r"
                                       % (i + 1, count, rx, got))
                elif op == "<~":
                    got = port.line()
                    if not re.fullmatch(arg, got):
                        raise Fail("expected /%s/, got %r" % (arg, got))
                elif op == "<=":
                    kind, _, what = arg.partition(" ")
                    if kind == "file":
                        want = open(what, "rb").read()
                        got = port.take(len(want))
                        if got != want:
                            raise Fail("payload differs from %s (%d bytes)" % (what, len(want)))
                    else:
                        port.take(int(what))
                elif op == ">=":
                    kind, _, what = arg.partition(" ")
                    if kind == "paced":
                        rate, _, path2 = what.partition(" file ")
                        data = open(path2, "rb").read()
                        due = time.monotonic()
                        for off in range(0, len(data), 32):
                            # pacing is what is under test: never ahead of
                            # RATE, and a late write (this runner was not
                            # scheduled) is not made up by a burst, which
                            # the module's FIFO would rightly lose
                            while time.monotonic() < due:
                                time.sleep(due - time.monotonic())
                            port.send(data[off:off + 32])
                            due = max(due, time.monotonic()) + 32 / float(rate)
                    else:
                        port.send(open(what, "rb").read() if kind == "file"
                                  else what.encode("latin-1"))
                elif op == "+++":
                    guard = int(arg) / 1000.0
                    time.sleep(guard)   # the guard time is the protocol, not a sync
                    port.send(b"+++")
                    time.sleep(guard)
                elif op == "=":
                    r = subprocess.run(arg, shell=True, capture_output=True, text=True)
                    if r.returncode:
                        raise Fail("'%s' failed: %s%s" % (arg, r.stdout, r.stderr))
                elif op == "-":
                    port.quiet(int(arg))
                else:
                    raise Fail("unknown directive %r" % op)
            except Fail as e:
                raise Fail("%s:%d: %s" % (path, no, e))
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main():
    sim = sys.argv[1]
    passed = failed = 0
    for path in sys.argv[2:]:
        name = os.path.basename(path)
        try:
            run(path, sim)
            print("ok - %s" % name)
            passed += 1
        except Fail as e:
            print("not ok - %s\n    %s" % (name, e))
            failed += 1
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
