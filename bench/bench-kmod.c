// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko figures, measured inside the VM (tests/vm/run --bench, from
 * make bench): how long a URC takes to reach a /dev/qlink-urc reader, and
 * pass-through throughput with the ldisc as a fraction of n_tty's on the
 * same pty. The VM runs under TCG, so absolute times are the emulator's;
 * the ratio is the figure to compare. Every figure comes from several
 * rounds in the same boot, qlink and n_tty in turn, and says its spread:
 * a noisy host shows as a wide one. --profile counts calls per megabyte
 * instead (kmod/README.md, "Where the time goes").
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "../tests/vm/vm.h"

#define ROUNDS 7     /* throughput: qlink and n_tty alternate, a ratio per round */
#define LAT_ROUNDS 5 /* latency: the three measurements alternate */
#define SAMPLES 1000 /* URCs per latency round */
#define THROUGHPUT_BYTES (16u << 20)

struct lat {
	int ufd;
	uint64_t t_read[SAMPLES];
	uint64_t t_stamp[SAMPLES];
	volatile int done;
	int err;
};

/* one latency figure: every round's samples, and each round's p99 */
struct figure {
	const char *what;
	uint64_t v[LAT_ROUNDS * SAMPLES];
	int n;
	double p99[LAT_ROUNDS];
	int rounds;
};

static struct figure fig_urc = { .what = "URC latency, write() of the line -> read():" },
		     fig_ldisc = { .what = "URC latency, line end in the ldisc -> read():" },
		     fig_owner_q = { .what = "same line, write() -> owner's read(), qlink:" },
		     fig_owner_n = { .what = "same line, write() -> owner's read(), n_tty:" };

static void *urc_reader(void *arg)
{
	struct lat *l = arg;
	struct qlink_urc_record r;
	int i;

	for (i = 0; i < SAMPLES; i++) {
		if (read(l->ufd, &r, sizeof(r)) != sizeof(r)) {
			l->err = errno;
			break;
		}
		l->t_read[i] = vm_now_ns();
		l->t_stamp[i] = r.timestamp_ns;
		__atomic_store_n(&l->done, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* a round's samples into a figure: kept for the pooled quantiles, and the round's p99 */
static void add_round(struct figure *f, const uint64_t *v, int n)
{
	uint64_t *r = f->v + f->n;

	memcpy(r, v, (size_t)n * sizeof(*v));
	qsort(r, (size_t)n, sizeof(*r), cmp_u64);
	f->p99[f->rounds++] = r[n * 99 / 100] / 1000.0;
	f->n += n;
}

/* pooled median and p99, and the spread of the rounds' p99 */
static void report(struct figure *f)
{
	qsort(f->v, (size_t)f->n, sizeof(*f->v), cmp_u64);
	qsort(f->p99, (size_t)f->rounds, sizeof(*f->p99), cmp_double);
	printf("%-46s median %7.1f us, p99 %7.1f us (%d URCs; %d rounds' p99 %.1f-%.1f us)\n",
	       f->what, f->v[f->n / 2] / 1000.0, f->v[f->n * 99 / 100] / 1000.0, f->n, f->rounds,
	       f->p99[0], f->p99[f->rounds - 1]);
}

static int latency(void)
{
	static uint64_t t_write[SAMPLES], a[SAMPLES], b[SAMPLES];
	static struct lat l;
	const char *line = "+QIND: \"FOTA\",\"UPDATING\",50\r\n";
	char drain[256];
	struct vm_pty p;
	pthread_t th;
	int i;

	memset(&l, 0, sizeof(l));
	if (vm_pty_open(&p) || vm_setd(p.slave, QLINK_LDISC_DEFAULT))
		return -1;
	l.ufd = vm_urc_open(0); /* only records to come */
	if (l.ufd < 0 || pthread_create(&th, NULL, urc_reader, &l))
		return -1;
	for (i = 0; i < SAMPLES; i++) {
		usleep(200); /* the reader is back in read() */
		t_write[i] = vm_now_ns();
		if (vm_write_str(p.master, line))
			return -1;
		while (__atomic_load_n(&l.done, __ATOMIC_ACQUIRE) <= i && !l.err)
			;
		/* the owner reads what it is sent, as a real one does */
		if (vm_read_exact(p.slave, drain, strlen(line), 5000) != strlen(line))
			return -1;
	}
	pthread_join(th, NULL);
	if (l.err)
		return -1;
	for (i = 0; i < SAMPLES; i++) {
		a[i] = l.t_read[i] - t_write[i];
		b[i] = l.t_read[i] - l.t_stamp[i];
	}
	add_round(&fig_urc, a, SAMPLES);
	add_round(&fig_ldisc, b, SAMPLES);
	close(l.ufd);
	vm_pty_close(&p);
	return 0;
}

/* The same line through the same pty to the owner's read(): n_tty or qlink. */
static int owner_latency(int disc, struct figure *f)
{
	static uint64_t v[SAMPLES];
	const char *line = "+QIND: \"FOTA\",\"UPDATING\",50\r\n";
	char buf[256];
	struct vm_pty p;
	int i;

	if (vm_pty_open(&p) || vm_setd(p.slave, disc))
		return -1;
	for (i = 0; i < SAMPLES; i++) {
		uint64_t t0;

		usleep(200);
		t0 = vm_now_ns();
		if (vm_write_str(p.master, line) ||
		    vm_read_exact(p.slave, buf, strlen(line), 5000) != strlen(line))
			return -1;
		v[i] = vm_now_ns() - t0;
	}
	add_round(f, v, SAMPLES);
	vm_pty_close(&p);
	return 0;
}

/* LAT_ROUNDS rounds of the three, in turn, so a noisy stretch hits all */
static int latencies(void)
{
	int r;

	for (r = 0; r < LAT_ROUNDS; r++)
		if (latency() || owner_latency(QLINK_LDISC_DEFAULT, &fig_owner_q) ||
		    owner_latency(N_TTY, &fig_owner_n))
			return -1;
	report(&fig_urc);
	report(&fig_ldisc);
	report(&fig_owner_q);
	report(&fig_owner_n);
	return 0;
}

struct pump {
	int fd;
	size_t len;
};

static void *writer(void *arg)
{
	static char buf[65536];
	struct pump *w = arg;
	size_t left = w->len;

	memset(buf, 'x', sizeof(buf));
	while (left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		if (vm_write_all(w->fd, buf, n))
			break;
		left -= n;
	}
	return NULL;
}

/* MB/s from one end of a pty to the other, the slave under disc */
static double throughput_n(int disc, bool to_owner, size_t len)
{
	static char buf[65536];
	struct vm_pty p;
	struct pump w = { .len = len };
	pthread_t th;
	size_t got = 0;
	uint64_t t0;
	int rfd;

	if (vm_pty_open(&p) || vm_setd(p.slave, disc))
		return -1;
	w.fd = to_owner ? p.master : p.slave;
	rfd = to_owner ? p.slave : p.master;
	t0 = vm_now_ns();
	if (pthread_create(&th, NULL, writer, &w))
		return -1;
	while (got < w.len) {
		ssize_t n = read(rfd, buf, sizeof(buf));

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	pthread_join(th, NULL);
	t0 = vm_now_ns() - t0;
	vm_pty_close(&p);
	return got == w.len ? (double)got / (1 << 20) / (t0 / 1e9) : -1;
}

static double throughput(int disc, bool to_owner)
{
	return throughput_n(disc, to_owner, THROUGHPUT_BYTES);
}

/*
 * ROUNDS rounds, each one run with n_tty and one with qlink on a fresh pty,
 * which goes first alternating: the ratio per round, reported as the
 * median with the rounds' spread, so a noisy host shows as a wide one.
 */
static int ratio(const char *what, bool to_owner)
{
	double q[ROUNDS], n[ROUNDS], rat[ROUNDS];
	int i;

	for (i = 0; i < ROUNDS; i++) {
		double a, b;

		if (i & 1) {
			b = throughput(QLINK_LDISC_DEFAULT, to_owner);
			a = throughput(N_TTY, to_owner);
		} else {
			a = throughput(N_TTY, to_owner);
			b = throughput(QLINK_LDISC_DEFAULT, to_owner);
		}
		if (a <= 0 || b <= 0)
			return -1;
		n[i] = a;
		q[i] = b;
		rat[i] = b / a;
	}
	qsort(q, ROUNDS, sizeof(*q), cmp_double);
	qsort(n, ROUNDS, sizeof(*n), cmp_double);
	qsort(rat, ROUNDS, sizeof(*rat), cmp_double);
	printf("%-46s qlink %6.1f MB/s, n_tty %6.1f MB/s: %.2f of n_tty (median of %d rounds, %.2f-%.2f)\n",
	       what, q[ROUNDS / 2], n[ROUNDS / 2], rat[ROUNDS / 2], ROUNDS, rat[0],
	       rat[ROUNDS - 1]);
	fflush(stdout);
	return 0;
}

/*
 * --profile: what the ldiscs do per megabyte. The function tracer over the
 * ldiscs' and the pty's entry points, the wake-ups and the work items
 * while a short transfer runs, counted per function: calls per MB with
 * n_tty and with qlink. Counts, not times: the tracer slows what it sees.
 */
#define TR "/sys/kernel/tracing/"
#define PROFILE_MB 4

static const char *const traced[] = {
	"qlink_receive_buf2",
	"qlink_read",
	"qlink_write",
	"qlink_flow_work",
	"qlink_urc_publish",
	"n_tty_receive_buf2",
	"n_tty_read",
	"n_tty_write",
	"flush_to_ldisc",
	"pty_write",
	"pty_unthrottle",
	"tty_wakeup",
	"tty_buffer_flush_work",
	"flush_work",
	"queue_work_on",
	"mod_delayed_work_on",
	"__wake_up",
	"kill_fasync",
	"schedule",
	"try_to_wake_up",
};

static int tr_put(const char *file, const char *s, bool append)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), TR "%s", file);
	fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

/* calls of each traced function in the trace buffer */
static void tr_count(unsigned long *calls)
{
	char line[512];
	FILE *t = fopen(TR "trace", "r");
	size_t i;

	memset(calls, 0, sizeof(traced) / sizeof(traced[0]) * sizeof(*calls));
	while (t && fgets(line, sizeof(line), t)) {
		char *p = strstr(line, ": "), *e;

		if (line[0] == '#' || !p)
			continue;
		p += 2;
		e = strpbrk(p, " <\n");
		if (e)
			*e = 0;
		for (i = 0; i < sizeof(traced) / sizeof(traced[0]); i++)
			if (!strcmp(p, traced[i]))
				calls[i]++;
	}
	if (t)
		fclose(t);
}

static int profile(void)
{
	static unsigned long calls[4][sizeof(traced) / sizeof(traced[0])];
	static const char *const col[4] = { "n_tty m->o", "qlink m->o", "n_tty o->m",
					    "qlink o->m" };
	size_t i, r;

	if (tr_put("tracing_on", "0", false) || tr_put("buffer_size_kb", "65536", false))
		return -1;
	tr_put("set_ftrace_filter", "", false);
	for (i = 0; i < sizeof(traced) / sizeof(traced[0]); i++)
		if (tr_put("set_ftrace_filter", traced[i], true))
			printf("profile: %s not traceable\n", traced[i]);
	if (tr_put("current_tracer", "function", false))
		return -1;
	for (r = 0; r < 4; r++) {
		tr_put("trace", "", false);
		tr_put("tracing_on", "1", false);
		if (throughput_n(r & 1 ? QLINK_LDISC_DEFAULT : N_TTY, r < 2, PROFILE_MB << 20) < 0)
			return -1;
		tr_put("tracing_on", "0", false);
		tr_count(calls[r]);
	}
	tr_put("current_tracer", "nop", false);
	printf("profile: calls per MB (m->o: modem -> owner, o->m: owner -> modem)\n");
	printf("%-22s %12s %12s %12s %12s\n", "", col[0], col[1], col[2], col[3]);
	for (i = 0; i < sizeof(traced) / sizeof(traced[0]); i++)
		printf("%-22s %12lu %12lu %12lu %12lu\n", traced[i], calls[0][i] / PROFILE_MB,
		       calls[1][i] / PROFILE_MB, calls[2][i] / PROFILE_MB,
		       calls[3][i] / PROFILE_MB);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "--profile"))
		return profile() ? 1 : 0;
	if (latencies()) {
		perror("bench-kmod: latency");
		return 1;
	}
	if (ratio("pass-through, modem -> owner (16 MB):", true) ||
	    ratio("pass-through, owner -> modem (16 MB):", false)) {
		perror("bench-kmod: throughput");
		return 1;
	}
	return 0;
}
