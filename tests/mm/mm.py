#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""qlink beside ModemManager: inhibition for the length of a job.

AGAINST A MOCK, not the real daemon: tests/mm/modemmanager.py, a
python3-dbusmock template serving ModemManager 1.20's InhibitDevice and
ObjectManager on a private system bus this test starts (why not the real
daemon: README "ModemManager"). The mock holds the port open while it
manages the modem, as ModemManager does, so a qlink that did not inhibit it
is refused by the port check.

tests/mm/mm.py BUILD_DIR; uses the FIXTURE_* servers of tests/fota/run for
the ftp case when they are there. Ends with "N passed, N failed".
"""
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import dbus

O = os.path.realpath(sys.argv[1])
HERE = os.path.dirname(os.path.realpath(__file__))
QLINK = os.path.join(O, "qlink")
SIM = os.path.join(O, "qlink-sim")
PKG = os.path.join(O, "qlink-fotapkg")
UID = "/sys/devices/platform/qlink-sim/usb1/1-1"
MM = "org.freedesktop.ModemManager1"
MM_PATH = "/org/freedesktop/ModemManager1"
WAIT = 20	# s: any one bounded wait


class Fail(Exception):
	pass


def check(cond, what):
	if not cond:
		raise Fail(what)


def wait_for(cond, what, timeout=WAIT):
	end = time.monotonic() + timeout
	while time.monotonic() < end:
		if cond():
			return
		time.sleep(0.05)	# polling another process's state, bounded
	raise Fail("never: " + what)


class World:
	"""A private system bus, qlink-sim on a pty, and the ModemManager mock."""

	def __init__(self, tmp):
		self.tmp = tmp
		self.procs = []
		try:
			self.start(tmp)
		except BaseException:
			# what did start must not outlive us: its output pipes would
			# keep the suite's caller (run-tests captures it) waiting
			self.close()
			raise

	def start(self, tmp):
		addr = "unix:path=%s/system_bus" % tmp
		with open(os.path.join(HERE, "system-bus.conf")) as f:
			conf = f.read().replace("@ADDRESS@", addr)
		with open(tmp + "/system-bus.conf", "w") as f:
			f.write(conf)
		bus = subprocess.Popen(["dbus-daemon", "--config-file=%s/system-bus.conf" % tmp,
					"--nofork", "--print-address"],
				       stdout=subprocess.PIPE, text=True)
		self.procs.append(bus)
		r, _, _ = select.select([bus.stdout], [], [], WAIT)
		check(r and bus.stdout.readline(), "dbus-daemon did not start")
		os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = addr
		self.link = os.path.join(tmp, "tty")
		self.sim = subprocess.Popen([SIM, "--model", "EC200T", "--pty", self.link,
					     "--fault", "boot-ms=50", "--fault", "update-ms=100"],
					    stdout=subprocess.PIPE, stderr=open(tmp + "/sim.log", "w"))
		self.procs.append(self.sim)
		r, _, _ = select.select([self.sim.stdout], [], [], WAIT)
		check(r and self.sim.stdout.readline(), "qlink-sim did not start")
		self.bus = dbus.bus.BusConnection(addr)
		self.start_mm()

	def start_mm(self):
		self.mm = subprocess.Popen(
			["/usr/bin/python3", "-m", "dbusmock", "--system", "-l", self.tmp + "/mm.log",
			 "--template", os.path.join(HERE, "modemmanager.py"),
			 "--parameters", json.dumps({"port": self.link, "uid": UID})],
			stdout=subprocess.DEVNULL, stderr=open(self.tmp + "/mm.err", "a"))
		self.procs.append(self.mm)
		wait_for(lambda: self.modems(), "the mock exports a modem")

	def stop_mm(self):
		self.mm.terminate()
		self.mm.wait(WAIT)

	def modems(self):
		"""Paths of the modem objects ModemManager (the mock) exports now."""
		try:
			om = self.bus.get_object(MM, MM_PATH)
			objs = om.GetManagedObjects(dbus_interface="org.freedesktop.DBus.ObjectManager")
		except dbus.exceptions.DBusException:
			return []
		return [p for p, ifs in objs.items()
			if ifs.get(MM + ".Modem", {}).get("Device") == UID]

	def inhibit_calls(self):
		mock = self.bus.get_object(MM, MM_PATH)
		return [(str(a[0]), bool(a[1])) for _, a in
			mock.GetMethodCalls("InhibitDevice", dbus_interface="org.freedesktop.DBus.Mock")]

	def clear_calls(self):
		self.bus.get_object(MM, MM_PATH).ClearCalls(dbus_interface="org.freedesktop.DBus.Mock")

	def holds_port(self, pid):
		real = os.path.realpath(self.link)
		try:
			return any(os.path.realpath("/proc/%d/fd/%s" % (pid, fd)) == real
				   for fd in os.listdir("/proc/%d/fd" % pid))
		except OSError:
			return False

	def back_in_mm(self, before):
		"""The modem is managed again: a new object, and the port held."""
		wait_for(lambda: self.modems() and self.modems() != before and
			 self.holds_port(self.mm.pid), "the modem back in ModemManager")

	def close(self):
		for p in reversed(self.procs):
			if p.poll() is None:
				p.terminate()
				try:
					p.wait(WAIT)
				except subprocess.TimeoutExpired:
					p.kill()
					p.wait()


def qlink(w, args, **kw):
	return subprocess.run([QLINK, "-p", w.link] + args, stdout=subprocess.PIPE,
			      stderr=subprocess.PIPE, text=True, timeout=120, **kw)


def package(w, size):
	path = os.path.join(w.tmp, "pkg%d.bin" % size)
	subprocess.run([PKG, "--project", "EC200T", "--source", "EC200TCNDAR02A07M16",
			"--target", "EC200TCNDAR02A08M16", "--kind", "full", "--size", str(size),
			"-o", path], check=True)
	return path


tests = []


def case(fn):
	tests.append(fn)
	return fn


@case
def managed_port_refused_without_inhibition(w):
	r = qlink(w, ["at", "ATI"])
	check(r.returncode == 3, "exit %d: %s" % (r.returncode, r.stderr))
	check("in use by pid %d" % w.mm.pid in r.stderr, r.stderr)
	check(w.inhibit_calls() == [], "inhibited without being asked")


@case
def inhibit_mm_option(w):
	before = w.modems()
	r = qlink(w, ["--inhibit-mm", "at", "ATI"])
	check(r.returncode == 0 and "Quectel" in r.stdout, "exit %d: %s" % (r.returncode, r.stderr))
	check(w.inhibit_calls() == [(UID, True), (UID, False)], str(w.inhibit_calls()))
	w.back_in_mm(before)


@case
def no_modemmanager_no_inhibition(w):
	w.stop_mm()
	try:
		r = qlink(w, ["--inhibit-mm", "-v", "at", "ATI"])
		check(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr))
		check("ModemManager is not running" in r.stderr, r.stderr)
	finally:
		w.start_mm()


@case
def ftp_inhibits_and_releases(w):
	port = os.environ.get("FIXTURE_FTP_PORT")
	if not port:
		return "skipped: no FTP server (run by tests/fota/run)"
	before = w.modems()
	os.environ["QLINK_FTP_PASSWORD"] = os.environ["FIXTURE_FTP_PASS"]
	r = qlink(w, ["ftp", "--url", "ftp://%s@127.0.0.1:%s/" % (os.environ["FIXTURE_FTP_USER"],
								port), "pwd"])
	check(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr))
	check(w.inhibit_calls() == [(UID, True), (UID, False)], str(w.inhibit_calls()))
	w.back_in_mm(before)


@case
def fota_inhibits_and_releases(w):
	before = w.modems()
	r = qlink(w, ["--json", "fota", package(w, 20000), "--flow", "none", "--yes"])
	res = json.loads(r.stdout)
	check(r.returncode == 0 and res["outcome"] == "upgraded",
	      "exit %d: %s / %s" % (r.returncode, res.get("message"), r.stderr))
	check(w.inhibit_calls() == [(UID, True), (UID, False)], str(w.inhibit_calls()))
	w.back_in_mm(before)


def fota_stopped(w, sig):
	"""A fota job stopped by @sig mid-upload: the modem is back in ModemManager."""
	before = w.modems()
	q = subprocess.Popen([QLINK, "-p", w.link, "--json", "fota", package(w, 60000),
			      "--flow", "none", "--yes"],
			     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
	try:
		wait_for(lambda: (UID, True) in w.inhibit_calls() and w.holds_port(q.pid),
			 "the job under way")
		q.send_signal(sig)
		q.communicate(timeout=WAIT)
	finally:
		if q.poll() is None:
			q.kill()
			q.wait()
	w.back_in_mm(before)
	return q.returncode


@case
def fota_interrupted_releases(w):
	rc = fota_stopped(w, signal.SIGINT)
	check(rc == 130, "exit %d after SIGINT" % rc)
	check(w.inhibit_calls() == [(UID, True), (UID, False)], str(w.inhibit_calls()))


# last: a job killed mid-upload leaves the simulated module waiting for the rest
@case
def fota_killed_released_by_name_loss(w):
	fota_stopped(w, signal.SIGKILL)
	check(w.inhibit_calls() == [(UID, True)], str(w.inhibit_calls()))


def main():
	passed = failed = 0
	with tempfile.TemporaryDirectory() as tmp:
		w = World(tmp)
		try:
			for t in tests:
				name = t.__name__.replace("_", " ")
				try:
					w.clear_calls()
					note = t(w)
					passed += 1
					print("ok    %s%s" % (name, " (%s)" % note if note else ""))
				except Exception as e:
					failed += 1
					print("FAIL  %s: %s" % (name, e))
					if not isinstance(e, Fail):
						traceback.print_exc()
					for log in ("mm.log", "mm.err"):
						with open(os.path.join(tmp, log)) as f:
							print("  %s: %s" % (log, f.read()[-1500:]))
				sys.stdout.flush()
		finally:
			w.close()
	print("%d passed, %d failed" % (passed, failed))
	return 1 if failed else 0


sys.exit(main())
