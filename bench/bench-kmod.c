// SPDX-License-Identifier: GPL-2.0
/*
 * qlink.ko figures, measured inside the VM (tests/vm/run --bench, from
 * make bench): how long a URC takes to reach a /dev/qlink-urc reader, and
 * pass-through throughput with the ldisc as a fraction of n_tty's on the
 * same pty. The VM runs under TCG, so absolute times are the emulator's;
 * the ratio is the figure to compare.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "../tests/vm/vm.h"

#define SAMPLES 2000
#define THROUGHPUT_BYTES (32u << 20)

struct lat {
	int ufd;
	uint64_t t_read[SAMPLES];
	uint64_t t_stamp[SAMPLES];
	volatile int done;
	int err;
};

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

static void report(const char *what, uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	printf("%-44s median %7.1f us, p99 %7.1f us (%d URCs)\n", what, v[n / 2] / 1000.0,
	       v[n * 99 / 100] / 1000.0, n);
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

	if (vm_pty_open(&p) || vm_setd(p.slave, QLINK_LDISC_DEFAULT))
		return -1;
	l.ufd = vm_urc_open(0);
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
	report("URC latency, write() of the line -> read():", a, SAMPLES);
	report("URC latency, line end in the ldisc -> read():", b, SAMPLES);
	close(l.ufd);
	vm_pty_close(&p);
	return 0;
}

/* The same line through the same pty to the owner's read(): n_tty or qlink. */
static int owner_latency(int disc, const char *what)
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
	report(what, v, SAMPLES);
	vm_pty_close(&p);
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
static double throughput(int disc, bool to_owner)
{
	static char buf[65536];
	struct vm_pty p;
	struct pump w = { .len = THROUGHPUT_BYTES };
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

static int ratio(const char *what, bool to_owner)
{
	double q = 0, n = 0;
	int i;

	/* interleaved, best of three each: the VM's noise hits both alike */
	for (i = 0; i < 3; i++) {
		double a = throughput(N_TTY, to_owner),
		       b = throughput(QLINK_LDISC_DEFAULT, to_owner);

		if (a < 0 || b < 0)
			return -1;
		n = a > n ? a : n;
		q = b > q ? b : q;
	}
	printf("%-44s qlink %6.1f MB/s, n_tty %6.1f MB/s: %.2f of n_tty\n", what, q, n, q / n);
	return 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (latency() ||
	    owner_latency(QLINK_LDISC_DEFAULT, "same line, write() -> owner's read(), qlink:") ||
	    owner_latency(N_TTY, "same line, write() -> owner's read(), n_tty:")) {
		perror("bench-kmod: latency");
		return 1;
	}
	if (ratio("pass-through, modem -> owner (32 MB):", true) ||
	    ratio("pass-through, owner -> modem (32 MB):", false)) {
		perror("bench-kmod: throughput");
		return 1;
	}
	return 0;
}
