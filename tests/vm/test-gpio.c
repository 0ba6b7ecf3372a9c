// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * Board wiring inside the VM, on gpio-sim (built out of tree by
 * tests/vm/gpio-sim): a chip labelled like the Raspberry Pi's, its lines
 * named as dts/qlink-ec200-hat-overlay.dts names them.
 *
 * What the library drives is watched from outside it: a thread samples
 * the simulated line's value in sysfs (what the "modem" sees) and keeps
 * the time of every change, so pulse widths are measured on the line, not
 * taken from the library's word. qlink-sim reads the same values as its
 * DTR, PWRKEY and RESET_N inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <qlink/qlink.h>

#include "vm.h"

#define CFS "/sys/kernel/config/gpio-sim/qlink"
#define LABEL "pinctrl-bcm2835"
/* the overlay's default pins */
#define PIN_PWRKEY 4
#define PIN_RESET 5
#define PIN_DTR 6
/*
 * A pulse as seen on the line may be longer than asked by the time the
 * kernel takes to wake the holder under TCG; never shorter than asked,
 * less the sampler's period.
 */
#define SLACK_SHORT_MS 2
#define SLACK_LONG_MS 150

static char chip[32], sysdir[160];

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(vm_write_str(fd, val), 0);
	close(fd);
}

static void get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void value_path(int pin, char *buf, size_t len)
{
	snprintf(buf, len, "%s/sim_gpio%d/value", sysdir, pin);
}

static int setup(void **state)
{
	static const struct {
		int pin;
		const char *name;
	} lines[] = {
		{ PIN_PWRKEY, QLINK_GPIO_PWRKEY },
		{ PIN_RESET, QLINK_GPIO_RESET },
		{ PIN_DTR, QLINK_GPIO_DTR },
	};
	char p[160], dev[32];
	size_t i;

	(void)state;
	if (mkdir(CFS, 0755) < 0) {
		fprintf(stderr, "gpio-sim: %s: %s (is gpio-sim-oot.ko loaded?)\n", CFS,
			strerror(errno));
		return -1;
	}
	if (mkdir(CFS "/bank0", 0755) < 0)
		return -1;
	put(CFS "/bank0/label", LABEL);
	put(CFS "/bank0/num_lines", "28");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(p, sizeof(p), CFS "/bank0/line%d", lines[i].pin);
		if (mkdir(p, 0755) < 0)
			return -1;
		snprintf(p, sizeof(p), CFS "/bank0/line%d/name", lines[i].pin);
		put(p, lines[i].name);
	}
	put(CFS "/live", "1");
	get(CFS "/dev_name", dev, sizeof(dev));
	get(CFS "/bank0/chip_name", chip, sizeof(chip));
	snprintf(sysdir, sizeof(sysdir), "/sys/devices/platform/%s/%s", dev, chip);
	printf("gpio-sim: %s (%s), lines in %s\n", chip, LABEL, sysdir);
	return 0;
}

/* ------------------------------------------------------------ sampler */

struct sampler {
	pthread_t th;
	int fd;
	volatile bool stop;
	volatile bool running;
	int n;
	int val[32];
	uint64_t t[32];	     /* edge i seen: after the read that saw it */
	uint64_t before[32]; /* edge i not yet: before the read before it */
	uint64_t prev;	     /* before the last read */
};

static int sample(int fd)
{
	char c = '?';

	if (pread(fd, &c, 1, 0) != 1)
		return -1;
	return c == '1';
}

/*
 * One sample; an edge is recorded with the two times that bracket it: it
 * came after the previous read began and before this one returned, so a
 * sampler a vCPU stall made late widens the bracket, not the error.
 */
static void sampler_note(struct sampler *s, int *last)
{
	uint64_t start = vm_now_ns();
	int v = sample(s->fd);

	if (v >= 0 && v != *last && s->n < 32) {
		s->val[s->n] = v;
		s->before[s->n] = s->prev;
		s->t[s->n++] = vm_now_ns();
		*last = v;
	}
	s->prev = start;
}

static void *sampler_run(void *arg)
{
	struct sampler *s = arg;
	struct timespec ts = { 0, 100000 };
	struct sched_param sp = { .sched_priority = 1 };
	int last;

	/* ahead of the test's other work on a loaded TCG guest; best effort */
	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	s->prev = vm_now_ns();
	last = sample(s->fd);
	s->val[0] = last;
	s->t[0] = s->before[0] = vm_now_ns();
	s->n = 1;
	s->running = true;
	while (!s->stop) {
		sampler_note(s, &last);
		nanosleep(&ts, NULL);
	}
	/*
	 * The caller stops us once it has moved the line for the last time; a
	 * stalled vCPU may not have sampled since. The line is where it will
	 * stay: one more sample catches that edge (sampler_stop() dates it).
	 */
	sampler_note(s, &last);
	return NULL;
}

static void sampler_start(struct sampler *s, int pin)
{
	char p[200];

	memset(s, 0, sizeof(*s));
	value_path(pin, p, sizeof(p));
	s->fd = open(p, O_RDONLY);
	assert_true(s->fd >= 0);
	assert_int_equal(pthread_create(&s->th, NULL, sampler_run, s), 0);
	/* its first sample must come before the line moves (bounded: 5 s) */
	for (int i = 0; i < 5000 && !s->running; i++)
		usleep(1000);
	assert_true(s->running);
}

static void sampler_stop(struct sampler *s)
{
	uint64_t now = vm_now_ns();

	s->stop = true;
	pthread_join(s->th, NULL);
	/* every edge came before the stop, even one sampled after it */
	if (s->t[s->n - 1] > now)
		s->t[s->n - 1] = now;
	close(s->fd);
}

/* Index of the edge that starts the @k-th pulse at @level; -1 if none. */
static int pulse_at(const struct sampler *s, int level, int k)
{
	int i;

	for (i = 1; i + 1 < s->n; i++) {
		if (s->val[i] == level && s->val[i + 1] != level && k-- == 0)
			return i;
	}
	return -1;
}

/* Width of the @k-th pulse at level @level as sampled, in ms; -1 if none. */
static double pulse_ms(const struct sampler *s, int level, int k)
{
	int i = pulse_at(s, level, k);

	return i < 0 ? -1 : (double)(s->t[i + 1] - s->t[i]) / 1e6;
}

/*
 * The pulse was at least @want - SLACK_SHORT_MS and at most @want +
 * SLACK_LONG_MS long, as far as the edges' brackets can tell: too short
 * only if even its longest possible width is, too long only if even its
 * shortest is.
 */
static void assert_width(const struct sampler *s, int level, unsigned int want, const char *what)
{
	int i = pulse_at(s, level, 0);
	double got, longest, shortest;

	if (i < 0)
		fail_msg("%s: no pulse on the line", what);
	got = (double)(s->t[i + 1] - s->t[i]) / 1e6;
	longest = (double)(s->t[i + 1] - s->before[i]) / 1e6;
	shortest = (double)(s->before[i + 1] - s->t[i]) / 1e6;
	printf("%s: %.2f ms on the line (%.2f-%.2f; documented %u ms)\n", what, got, shortest,
	       longest, want);
	if (longest < want - SLACK_SHORT_MS || shortest > want + SLACK_LONG_MS)
		for (i = 0; i < s->n; i++)
			printf("  edge %d: %d between +%.3f and +%.3f ms\n", i, s->val[i],
			       (double)(s->before[i] - s->t[0]) / 1e6,
			       (double)(s->t[i] - s->t[0]) / 1e6);
	assert_true(longest >= want - SLACK_SHORT_MS);
	assert_true(shortest <= want + SLACK_LONG_MS);
}

/* ----------------------------------------------------------- qlink-sim */

struct sim {
	pid_t pid;
	char pty[64];
};

static void sim_start(struct sim *s, const char *const *args)
{
	const char *argv[16] = { "/usr/bin/qlink-sim" };
	int out[2], i;
	size_t n = 0;

	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	assert_int_equal(pipe(out), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (!s->pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(out[1], 1);
		dup2(null, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	/* it prints its pty first; bounded: it starts in well under 10 s */
	while (n < sizeof(s->pty) - 1 && vm_wait(out[0], POLLIN, 10000) > 0) {
		if (read(out[0], s->pty + n, 1) != 1 || s->pty[n] == '\n')
			break;
		n++;
	}
	s->pty[n] = '\0';
	close(out[0]);
	assert_true(!strncmp(s->pty, "/dev/pts/", 9));
}

static void sim_stop(struct sim *s)
{
	int st;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
}

/* --------------------------------------------------------------- tests */

static void test_lines_by_name(void **state)
{
	struct qlink_gpio *g, *h;
	char spec[64], p[200], v[8];

	(void)state;
	g = qlink_gpio_request(QLINK_GPIO_DTR, "test", 1);
	assert_non_null(g);
	assert_string_equal(qlink_gpio_get_chip(g), chip);
	assert_int_equal(qlink_gpio_get_offset(g), PIN_DTR);
	assert_string_equal(qlink_gpio_get_name(g), QLINK_GPIO_DTR);
	value_path(PIN_DTR, p, sizeof(p));
	get(p, v, sizeof(v));
	assert_string_equal(v, "1");
	assert_int_equal(qlink_gpio_set_value(g, 0), 0);
	get(p, v, sizeof(v));
	assert_string_equal(v, "0");
	assert_int_equal(qlink_gpio_get_value(g), 0);
	/* held: nobody else gets it */
	assert_null(qlink_gpio_request("MODEM_DTR", "test", 0));
	assert_int_equal(errno, EBUSY);
	qlink_gpio_free(g);

	/* by label and offset, and by chip name and offset */
	g = qlink_gpio_request(LABEL ":4", NULL, 0);
	assert_non_null(g);
	assert_string_equal(qlink_gpio_get_name(g), QLINK_GPIO_PWRKEY);
	snprintf(spec, sizeof(spec), "%s:%d", chip, PIN_RESET);
	h = qlink_gpio_request(spec, NULL, 0);
	assert_non_null(h);
	assert_string_equal(qlink_gpio_get_name(h), QLINK_GPIO_RESET);
	qlink_gpio_free(h);
	qlink_gpio_free(g);

	/* active-low: asserted is driven low */
	g = qlink_gpio_request(LABEL ":7,active-low", NULL, 1);
	assert_non_null(g);
	value_path(7, p, sizeof(p));
	get(p, v, sizeof(v));
	assert_string_equal(v, "0");
	qlink_gpio_free(g);

	assert_null(qlink_gpio_request(LABEL ":28", NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(qlink_gpio_request("MODEM_RI", NULL, 0));
	assert_int_equal(errno, ENOENT);
}

static bool connected;

struct upload {
	bool done;
	int status, code;
};

static int upl_connect(struct qlink_chan *chan, const char *text, void *user)
{
	static unsigned char buf[8192];

	(void)text;
	(void)user;
	connected = true;
	memset(buf, 'u', sizeof(buf));
	/* a part of what was announced: the rest would never come */
	return qlink_chan_send(chan, buf, sizeof(buf)) < 0 ? -errno : 0;
}

static void upl_done(struct qlink_chan *chan, const struct qlink_resp *resp, void *user)
{
	struct upload *u = user;

	(void)chan;
	u->done = true;
	u->status = qlink_resp_get_status(resp);
	u->code = qlink_resp_get_code(resp);
}

/*
 * DTR through the library's channel: qlink-sim reads the sim line as its
 * DTR; an upload in data mode is aborted by qlink_chan_escape(), which
 * must drop DTR for QLINK_DTR_DROP_MS and find the module in command
 * mode.
 */
static void test_dtr_aborts_upload(void **state)
{
	static const char *const prefixes[] = { "+QFUPL:", NULL };
	static const struct qlink_cmd upl = {
		.prefixes = prefixes,
		.timeout_ms = 30000,
		.on_connect = upl_connect,
	};
	struct upload u = { 0 };
	struct qlink_resp *r = NULL;
	struct qlink_transport *t;
	struct qlink_chan *chan;
	struct qlink_gpio *dtr;
	struct sampler smp;
	struct sim sim;
	char dtr_file[200];
	int i;

	(void)state;
	dtr = qlink_gpio_request(QLINK_GPIO_DTR, "qlink-dtr", 1);
	assert_non_null(dtr);
	value_path(PIN_DTR, dtr_file, sizeof(dtr_file));
	sim_start(&sim, (const char *const[]){ "--dtr", dtr_file, NULL });
	t = qlink_transport_open_tty(sim.pty, 0, 0);
	assert_non_null(t);
	chan = qlink_chan_new(t);
	assert_non_null(chan);
	assert_int_equal(qlink_chan_exec(chan, "ATE0", NULL, NULL), 0);
	assert_int_equal(qlink_gpio_attach_dtr(dtr, chan), 0);
	sampler_start(&smp, PIN_DTR);

	assert_int_equal(qlink_chan_submit(chan, "AT+QFUPL=\"RAM:abort.bin\",200000", &upl,
					   upl_done, &u),
			 0);
	/* until CONNECT and the piece has left (bounded: 5 s) */
	for (i = 0; i < 100 && !(connected && !qlink_chan_get_outq(chan)); i++)
		qlink_chan_wait(chan, 50);
	assert_true(connected);
	/* the module is now mid-upload, waiting for the rest */
	qlink_chan_wait(chan, 200);
	assert_false(u.done);
	assert_int_equal(qlink_chan_escape(chan), 0);
	sampler_stop(&smp);

	/* the upload ended as the module said: +CME ERROR: 409, nothing stored */
	assert_true(u.done);
	assert_int_equal(u.status, -EIO);
	assert_int_equal(u.code, 409);
	assert_width(&smp, 0, QLINK_DTR_DROP_MS, "DTR drop");
	assert_true(pulse_ms(&smp, 0, 1) < 0);
	assert_int_equal(qlink_gpio_get_value(dtr), 1);
	assert_int_equal(qlink_chan_exec(chan, "AT+QFLST=\"RAM:*\"", NULL, &r), 0);
	assert_int_equal(qlink_resp_get_line_count(r), 0);
	qlink_resp_free(r);

	qlink_chan_free(chan);
	qlink_gpio_free(dtr);
	sim_stop(&sim);
}

/* qlink as a user runs it on a configured board: no options but --config */
static int qlink_run(const char *const *args, char *out, size_t len)
{
	const char *argv[8] = { "/usr/bin/qlink", "--config", "/tmp/qlink.conf" };
	int p[2], st, i;
	size_t n = 0;
	pid_t pid;

	for (i = 0; args[i]; i++)
		argv[i + 3] = args[i];
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t r = read(p[0], out + n, len - 1 - n);

		if (r <= 0 || (n += (size_t)r) == len - 1)
			break;
	}
	out[n] = '\0';
	close(p[0]);
	waitpid(pid, &st, 0);
	printf("qlink %s: %s", args[1] ? args[1] : args[0], out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_power(void **state)
{
	char pwrkey[200], reset[200], conf[512], out[1024];
	struct sampler key, rst;
	struct sim sim;
	int fd;

	(void)state;
	value_path(PIN_PWRKEY, pwrkey, sizeof(pwrkey));
	value_path(PIN_RESET, reset, sizeof(reset));
	sim_start(&sim,
		  (const char *const[]){ "--off", "--pwrkey", pwrkey, "--reset", reset, NULL });
	snprintf(conf, sizeof(conf),
		 "# the board: the module on a pty, its pins on gpio-sim\n"
		 "port = %s\nbaud = 115200\nrtscts = no\n"
		 "pwrkey_gpio = %s\nreset_gpio = %s:%d\n",
		 sim.pty, QLINK_GPIO_PWRKEY, LABEL, PIN_RESET);
	fd = open("/tmp/qlink.conf", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(vm_write_str(fd, conf), 0);
	close(fd);
	sampler_start(&key, PIN_PWRKEY);
	sampler_start(&rst, PIN_RESET);

	assert_int_equal(qlink_run((const char *const[]){ "power", "status", NULL }, out,
				   sizeof(out)),
			 1);
	assert_non_null(strstr(out, "module silent"));
	assert_int_equal(qlink_run((const char *const[]){ "power", "on", NULL }, out, sizeof(out)),
			 0);
	assert_non_null(strstr(out, "on: RDY after"));
	/* already on: no second press, which would be one towards off */
	assert_int_equal(qlink_run((const char *const[]){ "power", "on", NULL }, out, sizeof(out)),
			 0);
	assert_non_null(strstr(out, "already on"));
	assert_int_equal(qlink_run((const char *const[]){ "power", "reset", NULL }, out,
				   sizeof(out)),
			 0);
	assert_non_null(strstr(out, "reset: RDY after"));
	assert_int_equal(qlink_run((const char *const[]){ "power", "off", NULL }, out, sizeof(out)),
			 0);
	assert_non_null(strstr(out, "off: POWERED DOWN after"));
	assert_non_null(strstr(out, "AT+QPOWD=1"));
	assert_int_equal(qlink_run((const char *const[]){ "power", "status", NULL }, out,
				   sizeof(out)),
			 1);
	sampler_stop(&key);
	sampler_stop(&rst);

	assert_width(&key, 1, QLINK_PWRKEY_ON_MS, "PWRKEY on");
	assert_true(pulse_ms(&key, 1, 1) < 0); /* off went by AT+QPOWD */
	assert_width(&rst, 1, QLINK_RESET_MS, "RESET_N");
	assert_true(pulse_ms(&rst, 1, 1) < 0);
	sim_stop(&sim);
	unlink("/tmp/qlink.conf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_by_name),
		cmocka_unit_test(test_dtr_aborts_upload),
		cmocka_unit_test(test_power),
	};

	return cmocka_run_group_tests_name("gpio-sim", tests, setup, NULL);
}
