#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fleet updates: the real qlink against qlink-sim, packages served by the
real lighttpd that tests/fleet/run starts, driven directly and through the
real update agents Debian ships (swupdate, mender-client, mender-artifact)
in standalone mode.

Each case checks exit codes, the module's revision read back, and, for
refusals, that the simulator never saw AT+QFOTADL (nothing was sent).
Waits are bounded: the simulator's first line, or a process's exit.
"""
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

O = sys.argv[1]
ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
QLINK = os.path.join(O, "qlink")
SIM = os.path.join(O, "qlink-sim")
PKG = os.path.join(O, "qlink-fotapkg")
TMP = os.environ["FLEET_TMP"]
WWW = os.environ["FIXTURE_WWW_ROOT"]
HTTP = os.environ["FIXTURE_HTTP_PORT"]
FAST = ["boot-ms=50", "update-ms=100"]
RUN_TIMEOUT = 120	# s: a whole agent run; each ends in a few seconds
REV = "EC200TCNDAR02A07M16"
TARGET = "EC200TCNDAR02A08M16"
MENDER_MODULES = "/usr/share/mender/modules/v3"


class Fail(Exception):
	pass


class Skip(Exception):
	pass


def check(cond, what):
	if not cond:
		raise Fail(what)


n_dir = 0


def fresh_dir(what):
	global n_dir
	n_dir += 1
	d = os.path.join(TMP, "%s%d" % (what, n_dir))
	os.makedirs(d)
	return d


class Sim:
	n = 0

	def __init__(self, model="EC200T", revision=REV, faults=FAST):
		Sim.n += 1
		self.link = os.path.join(TMP, "tty%d" % Sim.n)
		self.log = os.path.join(TMP, "sim%d.log" % Sim.n)
		args = [SIM, "-v", "--model", model, "--revision", revision, "--pty", self.link]
		for f in faults:
			args += ["--fault", f]
		self.err = open(self.log, "a")
		self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.err)
		r, _, _ = select.select([self.p.stdout], [], [], 10)
		check(r and self.p.stdout.readline(), "qlink-sim did not start")

	def stop(self):
		if self.p.poll() is None:
			self.p.send_signal(signal.SIGTERM)
			self.p.wait(10)
		self.p.stdout.close()
		self.err.close()

	def revision(self):
		p = subprocess.run([QLINK, "-p", self.link, "at", "AT+GMR"], capture_output=True,
				   text=True, timeout=RUN_TIMEOUT)
		check(p.returncode == 0, "AT+GMR failed")
		return [l for l in p.stdout.split("\n") if l and not l.startswith(("AT", "OK"))][0]

	def fotadl_count(self):
		with open(self.log) as f:
			return f.read().count("AT+QFOTADL")


def sha256(path):
	import hashlib
	with open(path, "rb") as f:
		return hashlib.sha256(f.read()).hexdigest()


def package(where, name="pkg.bin", source=REV, target=TARGET, project="EC200T"):
	path = os.path.join(where, name)
	subprocess.run([PKG, "--project", project, "--source", source, "--target", target,
			"--kind", "full", "--size", "8000", "-o", path], check=True)
	return path


def manifest(where, files, model="EC200*", frm=REV, to=TARGET, source=None, extra=""):
	lines = ["# test manifest", "qlink-fota-manifest = 1", "model = %s" % model,
		 "from = %s" % frm, "to = %s" % to]
	for f in files:
		lines.append("file = %s %d %s" % (os.path.basename(f), os.path.getsize(f), sha256(f)))
	if source:
		lines.append("source = %s" % source)
	path = os.path.join(where, "qlink-fota.manifest")
	with open(path, "w") as f:
		f.write("\n".join(lines) + "\n" + extra)
	return path


def qlink(sim, args, json_out=True, env=None, pass_fds=()):
	cmd = [QLINK, "-p", sim.link] + (["--json"] if json_out else []) + ["fota"] + args
	p = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env,
			   pass_fds=pass_fds)
	res = None
	if json_out:
		try:
			res = json.loads(p.stdout.strip().split("\n")[-1])
		except (ValueError, IndexError):
			raise Fail("no JSON (exit %d): %r %r" % (p.returncode, p.stdout, p.stderr))
	return p.returncode, res, p.stdout, p.stderr


tests = []


def case(fn):
	tests.append(fn)
	return fn


# -------------------------------------------------------- --skip-if-current

@case
def skip_if_current_exits_7_and_sends_nothing():
	sim = Sim()
	try:
		rc, res, _, err = qlink(sim, ["./absent.bin", "--expect-revision", REV,
					      "--skip-if-current", "--yes"])
		check(rc == 7, "exit %d, wanted 7: %s" % (rc, err))
		check(res["outcome"] == "current" and res["ok"], "outcome %s" % res["outcome"])
		check(REV in res["message"], "the message names no revision: %s" % res["message"])
		check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
	finally:
		sim.stop()


@case
def skip_if_current_needs_a_target():
	sim = Sim()
	try:
		rc, _, _, err = qlink(sim, ["./absent.bin", "--skip-if-current"], json_out=False)
		check(rc == 2, "exit %d, wanted 2 (usage)" % rc)
		check("--expect-revision" in err, "the message names no way out: %r" % err)
	finally:
		sim.stop()


@case
def skip_if_current_rerun_is_a_noop():
	"""An interrupted deployment retried: the first run upgrades, the second does nothing."""
	sim = Sim()
	try:
		pkg = package(fresh_dir("rerun"))
		args = [pkg, "--expect-revision", TARGET, "--skip-if-current", "--yes"]
		rc, res, _, err = qlink(sim, args)
		check(rc == 0 and res["outcome"] == "upgraded", "first run: exit %d %s" % (rc, err))
		rc, res, _, err = qlink(sim, args)
		check(rc == 7 and res["outcome"] == "current", "second run: exit %d %s" % (rc, err))
		check(sim.fotadl_count() == 1, "the second run sent AT+QFOTADL")
		check(sim.revision() == TARGET, "the module does not run the target")
	finally:
		sim.stop()


# ------------------------------------------------------------------ manifest

def refused(sim, args, words):
	rc, res, _, err = qlink(sim, args + ["--yes"])
	check(rc == 5, "exit %d, wanted 5: %s %s" % (rc, res and res.get("message"), err))
	check(res["outcome"] == "refused", "outcome %s" % res["outcome"])
	for w in words:
		check(w in res["message"], "%r not in %r" % (w, res["message"]))
	check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
	check(sim.revision() == REV, "a refused job changed the module")


@case
def manifest_upgrades_and_sets_the_target():
	sim = Sim()
	try:
		d = fresh_dir("man")
		pkg = package(d)
		m = manifest(d, [pkg], source="pkg.bin")
		rc, res, _, err = qlink(sim, ["--manifest", m, "--yes"])
		check(rc == 0 and res["revision_after"] == TARGET, "exit %d: %s" % (rc, err))
		rc, res, _, err = qlink(sim, ["--manifest", m, "--skip-if-current", "--yes"])
		check(rc == 7, "re-run: exit %d, wanted 7" % rc)
	finally:
		sim.stop()


@case
def manifest_wrong_model_refused():
	sim = Sim()
	try:
		d = fresh_dir("man")
		pkg = package(d)
		m = manifest(d, [pkg], model="EC600N")
		refused(sim, [pkg, "--manifest", m], ["EC600N", "EC200T", REV])
	finally:
		sim.stop()


@case
def manifest_wrong_source_revision_refused():
	sim = Sim()
	try:
		d = fresh_dir("man")
		pkg = package(d)
		m = manifest(d, [pkg], frm="EC200TCNDAR02A05M16")
		refused(sim, [pkg, "--manifest", m], ["EC200TCNDAR02A05M16", REV])
	finally:
		sim.stop()


@case
def manifest_sha256_mismatch_refused():
	sim = Sim()
	try:
		d = fresh_dir("man")
		pkg = package(d)
		m = manifest(d, [pkg])
		with open(pkg, "r+b") as f:	# one byte changed, same size
			b = f.read(1)
			f.seek(0)
			f.write(bytes([b[0] ^ 1]))
		refused(sim, [pkg, "--manifest", m], ["pkg.bin", "sha256", sha256(pkg)])
	finally:
		sim.stop()


@case
def manifest_missing_mini2_refused():
	sim = Sim("EC200N-CN", "EC200NCNLAR03A01M08")
	try:
		d = fresh_dir("man")
		one = os.path.join(d, "p.mini_1")
		with open(one, "wb") as f:
			f.write(b"x" * 100)
		m = manifest(d, [one], model="EC200N", frm="EC200NCNLAR03A01M08",
			     to="EC200NCNLAR03A02M08")
		rc, res, _, _ = qlink(sim, ["http://127.0.0.1:%s/p.mini_1" % HTTP, "--manifest", m,
					    "--yes"])
		check(rc == 5 and "p.mini_2" in res["message"], "exit %d: %s" % (rc, res["message"]))
		check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
	finally:
		sim.stop()


@case
def manifest_malformed_is_usage():
	d = fresh_dir("man")
	m = os.path.join(d, "bad.manifest")
	with open(m, "w") as f:
		f.write("qlink-fota-manifest = 1\nmodel = EC200T\nto = X\nfile = a 1 nothex\n")
	p = subprocess.run([QLINK, "-p", "/nonexistent", "fota", "--manifest", m], capture_output=True,
			   text=True, timeout=RUN_TIMEOUT)
	check(p.returncode == 2 and "line 4" in p.stderr, "exit %d: %r" % (p.returncode, p.stderr))


# ------------------------------------------------------------------ progress

@case
def progress_json_names_the_guide_phases():
	sim = Sim()
	try:
		pkg = package(fresh_dir("prog"))
		r, w = os.pipe()
		rc, res, _, err = qlink(sim, [pkg, "--yes", "--progress", "json", "--progress-fd",
					      str(w)], pass_fds=(w,))
		os.close(w)
		with os.fdopen(r) as f:
			recs = [json.loads(l) for l in f.read().splitlines()]
		check(rc == 0, "exit %d: %s" % (rc, err))
		phases = [x["phase"] for x in recs]
		for want in ("download", "update", "reboot", "verify", "done"):
			check(want in phases, "no %s record in %s" % (want, sorted(set(phases))))
		pct = [x["percent"] for x in recs if "percent" in x]
		check(pct == sorted(pct), "percent went down")
		check(recs[-1].get("outcome") == "upgraded", "the last record: %r" % recs[-1])
		ups = [x for x in recs if x["step"] == "upload"]
		check(ups and ups[-1]["bytes"] == ups[-1]["total"], "no upload bytes")
	finally:
		sim.stop()


@case
def progress_reader_gone_does_not_stop_the_job():
	"""An agent that stops reading: the job goes on to its outcome and its log."""
	sim = Sim()
	try:
		d = fresh_dir("prog")
		pkg = package(d)
		log = os.path.join(d, "jobs.log")
		r, w = os.pipe()
		os.close(r)
		rc, res, _, err = qlink(sim, [pkg, "--yes", "--progress", "json", "--progress-fd",
					      str(w), "--log", log], pass_fds=(w,))
		os.close(w)
		check(rc == 0 and res["outcome"] == "upgraded", "exit %d: %s" % (rc, err))
		with open(log) as f:
			check("outcome=upgraded" in f.read(), "the job log has no outcome")
	finally:
		sim.stop()


@case
def progress_plain_to_stdout_and_sd_notify():
	sim = Sim()
	sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	path = os.path.join(fresh_dir("notify"), "notify.sock")
	sock.bind(path)
	try:
		pkg = package(os.path.dirname(path))
		env = dict(os.environ, NOTIFY_SOCKET=path)
		msgs = []

		def reader():	# as systemd does: read while qlink runs (10 datagrams queue)
			while True:
				m = sock.recv(4096).decode()
				if m == "STOP":
					return
				msgs.append(m)
		t = threading.Thread(target=reader)
		t.start()
		try:
			rc, _, out, err = qlink(sim, [pkg, "--yes", "--progress", "plain"],
						json_out=False, env=env)
		finally:
			stop = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			stop.sendto(b"STOP", path)
			stop.close()
			t.join(30)
		check(rc == 0, "exit %d: %s" % (rc, err))
		lines = out.splitlines()
		check(any(l.startswith("update ") for l in lines), "no update line: %r" % out[:300])
		check(any(l.startswith("done outcome=upgraded") for l in lines), "no done line")
		check(msgs and all(m.startswith("STATUS=qlink fota: ") for m in msgs),
		      "sd_notify: %r" % msgs[:3])
		check(any("update" in m for m in msgs) and "upgraded" in msgs[-1],
		      "sd_notify never said update/upgraded: %r" % msgs[-2:])
	finally:
		sock.close()
		sim.stop()


# ------------------------------------------- pre-flight of the main package

HTTPS = os.environ["FIXTURE_HTTPS_PORT"]
FTP = os.environ["FIXTURE_FTP_PORT"]
FTPROOT = os.environ["FIXTURE_FTP_ROOT"]
FTP_AUTH = "%s:%s" % (os.environ["FIXTURE_FTP_USER"], os.environ["FIXTURE_FTP_PASS"])


def src_url(scheme, name, port=None):
	if scheme == "ftp":
		return "ftp://%s@127.0.0.1:%s/%s" % (FTP_AUTH, FTP, name)
	return "%s://127.0.0.1:%s/%s" % (scheme, port or (HTTP if scheme == "http" else HTTPS),
					 name)


def dry(sim, args, env=None):
	return qlink(sim, args + ["--dry-run"], env=env)


@case
def preflight_refuses_a_missing_package_every_scheme():
	sim = Sim()
	try:
		for scheme in ("http", "https", "ftp"):
			rc, res, _, err = dry(sim, [src_url(scheme, "missing.bin")])
			check(rc == 5 and res["outcome"] == "refused",
			      "%s: exit %d %s" % (scheme, rc, res.get("message")))
			check("not on the server" in res["message"] and
			      ("404" in res["message"] or "FTP" in res["message"]),
			      "%s: %s" % (scheme, res["message"]))
			check(FTP_AUTH.split(":")[1] not in json.dumps(res), "the password leaked")
		check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
	finally:
		sim.stop()


@case
def preflight_finds_a_present_package_every_scheme():
	sim = Sim()
	try:
		package(WWW, name="present.bin")
		package(FTPROOT, name="present.bin")
		os.chmod(os.path.join(FTPROOT, "present.bin"), 0o644)
		for scheme in ("http", "https", "ftp"):
			rc, res, _, err = dry(sim, [src_url(scheme, "present.bin")])
			texts = [f["text"] for f in res["findings"]]
			check(rc == 0 and any("the package is on the server" in t for t in texts),
			      "%s: exit %d %s %s" % (scheme, rc, texts, err))
	finally:
		sim.stop()


@case
def preflight_missing_mini2_over_ftp_refused():
	sim = Sim("EC200N-CN", "EC200NCNLAR03A01M08")
	try:
		with open(os.path.join(FTPROOT, "only.mini_1"), "wb") as f:
			f.write(b"x" * 100)
		rc, res, _, _ = dry(sim, [src_url("ftp", "only.mini_1")])
		check(rc == 5 and ".mini_2 is not on the server" in res["message"],
		      "exit %d: %s" % (rc, res["message"]))
	finally:
		sim.stop()


@case
def preflight_no_host_check_skips_the_question():
	sim = Sim()
	try:
		rc, res, _, _ = dry(sim, [src_url("http", "missing.bin"), "--no-host-check"])
		texts = [f["text"] for f in res["findings"]]
		check(rc == 0 and any("turned off" in t for t in texts), "exit %d %s" % (rc, texts))
	finally:
		sim.stop()


@case
def preflight_unreachable_server_is_noted_not_refused():
	sim = Sim()
	s = socket.socket()
	s.bind(("127.0.0.1", 0))	# a port nobody listens on
	port = s.getsockname()[1]
	s.close()
	try:
		rc, res, _, _ = dry(sim, [src_url("http", "x.bin", port=port)])
		texts = [f["text"] for f in res["findings"]]
		check(rc == 0 and any("could not tell" in t for t in texts), "exit %d %s" % (rc, texts))
	finally:
		sim.stop()


class Helper:
	"""A small HTTP server on loopback in a thread: a redirect, or a forward proxy."""

	def __init__(self, handler):
		import http.server
		self.hits = []
		outer = self

		class H(http.server.BaseHTTPRequestHandler):
			def do_HEAD(self):
				outer.hits.append(self.path)
				handler(self)

			def log_message(self, *a):
				pass
		self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
		self.port = self.srv.server_address[1]
		self.t = threading.Thread(target=self.srv.serve_forever)
		self.t.start()

	def stop(self):
		self.srv.shutdown()
		self.srv.server_close()
		self.t.join(10)


@case
def preflight_follows_redirects_as_curl_does():
	def redirect(h):
		h.send_response(302)
		h.send_header("Location", src_url("http", h.path.lstrip("/")))
		h.send_header("Content-Length", "0")
		h.end_headers()
	r = Helper(redirect)
	sim = Sim()
	try:
		package(WWW, name="moved.bin")
		rc, res, _, _ = dry(sim, [src_url("http", "moved.bin", port=r.port)])
		texts = [f["text"] for f in res["findings"]]
		check(rc == 0 and any("on the server (HTTP 200)" in t for t in texts),
		      "exit %d %s" % (rc, texts))
		rc, res, _, _ = dry(sim, [src_url("http", "gone.bin", port=r.port)])
		check(rc == 5 and "404" in res["message"], "redirect to a 404: exit %d" % rc)
		check(r.hits == ["/moved.bin", "/gone.bin"], "the redirector saw %r" % r.hits)
	finally:
		r.stop()
		sim.stop()


@case
def preflight_uses_the_proxy_as_curl_does():
	import urllib.request

	def proxy(h):
		# a forward proxy: the request line holds the whole URL
		try:
			with urllib.request.urlopen(urllib.request.Request(h.path, method="HEAD"),
						    timeout=10) as up:
				code = up.status
		except urllib.error.HTTPError as e:
			code = e.code
		h.send_response(code)
		h.send_header("Content-Length", "0")
		h.end_headers()
	p = Helper(proxy)
	sim = Sim()
	try:
		package(WWW, name="proxied.bin")
		env = dict(os.environ, http_proxy="http://127.0.0.1:%d" % p.port, no_proxy="")
		env.pop("NO_PROXY", None)
		rc, res, _, _ = dry(sim, [src_url("http", "proxied.bin")], env=env)
		check(rc == 0, "exit %d: %s" % (rc, res["findings"]))
		rc, res, _, _ = dry(sim, [src_url("http", "nothere.bin")], env=env)
		check(rc == 5 and "404" in res["message"], "missing through the proxy: exit %d" % rc)
		check(len(p.hits) == 2 and p.hits[0].endswith("/proxied.bin"),
		      "the proxy saw %r" % p.hits)
	finally:
		p.stop()
		sim.stop()


# ------------------------------------------------------------------- agents

def agent_conf(where, sim):
	path = os.path.join(where, "fota-agent.conf")
	with open(path, "w") as f:
		f.write("QLINK=%s\nQLINK_PORT=%s\n" % (QLINK, sim.link))
	return path


# --- SWUpdate: signed .swu (Debian's build insists), the Lua handler in LUA_PATH

SWU_KEY = None


def swu_key():
	global SWU_KEY
	if not SWU_KEY:
		d = fresh_dir("swukey")
		subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
				os.path.join(d, "key.pem"), "-out", os.path.join(d, "cert.pem"), "-days",
				"30", "-subj", "/CN=qlink-fleet-test", "-addext",
				"extendedKeyUsage=emailProtection"], check=True, capture_output=True)
		SWU_KEY = d
	return SWU_KEY


def swu(where, files):
	"""A signed .swu: each file an image of type qlink-modem, the manifest last."""
	images = ",\n".join('\t\t{ filename = "%s"; type = "qlink-modem"; sha256 = "%s"; }' %
			    (os.path.basename(f), sha256(f)) for f in files)
	desc = ('software = {\n\tversion = "1.0";\n\thardware-compatibility: [ "1.0" ];\n'
		'\timages: (\n%s\n\t);\n}\n' % images)
	with open(os.path.join(where, "sw-description"), "w") as f:
		f.write(desc)
	k = swu_key()
	subprocess.run(["openssl", "cms", "-sign", "-in", "sw-description", "-out",
			"sw-description.sig", "-signer", os.path.join(k, "cert.pem"), "-inkey",
			os.path.join(k, "key.pem"), "-outform", "DER", "-nosmimecap", "-binary"],
		       cwd=where, check=True)
	names = ["sw-description", "sw-description.sig"] + [os.path.basename(f) for f in files]
	out = os.path.join(where, "update.swu")
	with open(out, "wb") as f:
		subprocess.run(["cpio", "-o", "-H", "crc", "--quiet"], cwd=where, check=True,
			       input=("\n".join(names) + "\n").encode(), stdout=f)
	return out


def swupdate(sim, image):
	d = fresh_dir("swurun")
	lua = os.path.join(d, "lua")
	os.makedirs(lua)
	for f in ("swupdate_handlers.lua", "qlink_modem_handler.lua"):
		shutil.copy(os.path.join(ROOT, "packaging/swupdate", f), lua)
	os.makedirs(os.path.join(d, "tmp"))
	env = dict(os.environ, QLINK_FOTA_CONF=agent_conf(d, sim), TMPDIR=os.path.join(d, "tmp") + "/",
		   LUA_PATH=lua + "/?.lua;;")
	p = subprocess.run(["swupdate", "-v", "-H", "qlink-board:1.0", "-k",
			    os.path.join(swu_key(), "cert.pem"), "-i", image], capture_output=True,
			   text=True, timeout=RUN_TIMEOUT, env=env)
	log = p.stdout + p.stderr
	# swupdate 2022.12 -i races its own result: seen here exiting 1 after a
	# success and 0 (with "[endupdate] : SWUpdate was successful") after a
	# handler failed. Its status notifications, what its progress interface
	# and IPC clients get, are the verdict.
	ok = "SWUPDATE successful !" in log
	failed = "SWUPDATE failed [1]" in log
	check(ok != failed, "swupdate exit %d, no clear verdict in its log" % p.returncode)
	return (0 if ok else 1), log


def swu_case(fn):
	def run():
		if not shutil.which("swupdate"):
			raise Skip("swupdate not installed (scripts/deps)")
		fn()
	run.__name__ = fn.__name__
	return case(run)


@swu_case
def swupdate_installs_then_noop():
	sim = Sim()
	try:
		d = fresh_dir("swu")
		pkg = package(d)
		m = manifest(d, [pkg], source="pkg.bin")
		image = swu(d, [pkg, m])
		rc, log = swupdate(sim, image)
		check(rc == 0 and "SWUPDATE successful" in log, "swupdate exit %d: %s" % (rc, log[-2000:]))
		check("[Lua handler] returned: 0" in log, "the Lua handler did not run")
		check(sim.revision() == TARGET, "the module does not run the target")
		rc, log = swupdate(sim, image)
		check(rc == 0 and "already runs" in log, "second install: exit %d: %s" % (rc, log[-6000:]))
		check(sim.fotadl_count() == 1, "the second install sent AT+QFOTADL")
	finally:
		sim.stop()


@swu_case
def swupdate_wrong_model_fails_before_sending():
	sim = Sim()
	try:
		d = fresh_dir("swu")
		pkg = package(d)
		m = manifest(d, [pkg], model="EG912Y", source="pkg.bin")
		rc, log = swupdate(sim, swu(d, [pkg, m]))
		check(rc != 0 and "EG912Y" in log, "swupdate exit %d: %s" % (rc, log[-5000:]))
		check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
		check(sim.revision() == REV, "the module changed")
	finally:
		sim.stop()


@swu_case
def swupdate_failure_mid_download_fails_the_update():
	sim = Sim(faults=FAST + ["reboot-download=50"])
	try:
		d = fresh_dir("swu")
		pkg = package(WWW, name="swu-mid.bin")
		m = manifest(d, [pkg], source="http://127.0.0.1:%s/swu-mid.bin" % HTTP)
		rc, log = swupdate(sim, swu(d, [m]))
		check(rc != 0 and "qlink fota failed (exit 1)" in log,
		      "swupdate exit %d: %s" % (rc, log[-1500:]))
		check(sim.revision() == REV, "the module changed")
	finally:
		sim.stop()


# --- Mender: standalone install; the module and /etc/mender bound in a
# private mount namespace, so the system's directories stay as they are

def mender_setup():
	d = fresh_dir("mender")
	for sub in ("modules", "etc", "data/scripts", "work"):
		os.makedirs(os.path.join(d, sub))
	shutil.copy(os.path.join(ROOT, "packaging/mender/qlink-modem-fw"), os.path.join(d, "modules"))
	with open(os.path.join(d, "etc/artifact_info"), "w") as f:
		f.write("artifact_name=factory\n")
	with open(os.path.join(d, "data/device_type"), "w") as f:
		f.write("device_type=qlink-board\n")
	with open(os.path.join(d, "mender.conf"), "w") as f:
		json.dump({"ModulesWorkPath": os.path.join(d, "work")}, f)
	return d


def mender_artifact(where, files, name):
	out = os.path.join(where, "%s.mender" % name)
	subprocess.run(["mender-artifact", "write", "module-image", "-T", "qlink-modem-fw", "-t",
			"qlink-board", "-n", name, "-o", out] + sum([["-f", f] for f in files], []),
		       check=True, capture_output=True)
	return out


def mender(sim, state, artifact):
	env = dict(os.environ, QLINK_FOTA_CONF=agent_conf(state, sim))
	script = ('mount --bind "$1/modules" %s && mount --bind "$1/etc" /etc/mender && '
		  'exec mender --config "$1/mender.conf" --data "$1/data" --no-syslog install "$2"' %
		  MENDER_MODULES)
	p = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", state, artifact],
			   capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
	return p.returncode, p.stdout + p.stderr


def mender_case(fn):
	def run():
		if not shutil.which("mender") or not shutil.which("mender-artifact"):
			raise Skip("mender-client or mender-artifact not installed (scripts/deps)")
		if not os.path.isdir(MENDER_MODULES):
			raise Skip("%s missing" % MENDER_MODULES)
		fn()
	run.__name__ = fn.__name__
	return case(run)


@mender_case
def mender_installs_then_noop():
	sim = Sim()
	try:
		st = mender_setup()
		d = fresh_dir("mart")
		pkg = package(d)
		m = manifest(d, [pkg], source="pkg.bin")
		art = mender_artifact(d, [m, pkg], "modem-a08")
		rc, log = mender(sim, st, art)
		check(rc == 0, "mender install exit %d: %s" % (rc, log[-2000:]))
		check("upgraded %s -> %s" % (REV, TARGET) in log, "qlink's result not in the log")
		check(sim.revision() == TARGET, "the module does not run the target")
		rc, log = mender(sim, st, art)
		check(rc == 0 and "already runs" in log, "second install: exit %d: %s" % (rc, log[-6000:]))
		check(sim.fotadl_count() == 1, "the second install sent AT+QFOTADL")
	finally:
		sim.stop()


@mender_case
def mender_wrong_model_fails_before_sending():
	sim = Sim()
	try:
		st = mender_setup()
		d = fresh_dir("mart")
		pkg = package(d)
		m = manifest(d, [pkg], model="EC600N", source="pkg.bin")
		rc, log = mender(sim, st, mender_artifact(d, [m, pkg], "modem-wrong"))
		check(rc != 0 and "EC600N" in log, "mender exit %d: %s" % (rc, log[-1500:]))
		check(sim.fotadl_count() == 0, "AT+QFOTADL was sent")
		check(sim.revision() == REV, "the module changed")
	finally:
		sim.stop()


@mender_case
def mender_failure_mid_download_fails_the_deployment():
	sim = Sim(faults=FAST + ["reboot-download=50"])
	try:
		st = mender_setup()
		d = fresh_dir("mart")
		pkg = package(WWW, name="mender-mid.bin")
		m = manifest(d, [pkg], source="http://127.0.0.1:%s/mender-mid.bin" % HTTP)
		rc, log = mender(sim, st, mender_artifact(d, [m], "modem-mid"))
		check(rc != 0 and "qlink fota failed (exit 1)" in log,
		      "mender exit %d: %s" % (rc, log[-1500:]))
		check(sim.revision() == REV, "the module changed")
	finally:
		sim.stop()


def main():
	passed = failed = 0
	only = os.environ.get("FLEET_ONLY")
	for t in tests:
		name = t.__name__.replace("_", " ")
		if only and only not in name:
			continue
		t0 = time.monotonic()
		try:
			t()
			passed += 1
			print("ok    %-52s %.1f s" % (name, time.monotonic() - t0))
		except Skip as e:
			print("skip  %s: %s" % (name, e))
		except Exception as e:
			failed += 1
			print("FAIL  %s: %s" % (name, e))
			if not isinstance(e, Fail):
				traceback.print_exc()
		sys.stdout.flush()
	print("%d passed, %d failed" % (passed, failed))
	return 1 if failed else 0


sys.exit(main())
