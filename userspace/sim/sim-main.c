// SPDX-License-Identifier: GPL-2.0
/*
 * qlink-sim: options, the pty, and the one event loop (libcurl's multi
 * poll with the pty as an extra descriptor), output pacing and timers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sim-core.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->verbose)
		return;
	va_start(ap, fmt);
	fputs("qlink-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ------------------------------------------------------------- output */

void sim_send(struct sim *s, const void *buf, size_t len)
{
	if (s->mode == SIM_MODE_OFF || !len)
		return;
	if (s->out_pos == s->out_len)
		s->out_pos = s->out_len = 0;
	if (s->out_len + len > s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap : 4096;
		unsigned char *p;

		while (cap < s->out_len + len)
			cap *= 2;
		p = realloc(s->out, cap);
		if (!p) {
			fprintf(stderr, "qlink-sim: out of memory\n");
			exit(1);
		}
		s->out = p;
		s->out_cap = cap;
	}
	memcpy(s->out + s->out_len, buf, len);
	s->out_len += len;
}

size_t sim_out_pending(const struct sim *s)
{
	return s->out_len - s->out_pos;
}

void sim_out_discard(struct sim *s)
{
	s->out_pos = s->out_len = 0;
}

size_t sim_out_high(const struct sim *s)
{
	/* a module's UART buffer holds a fraction of a second of data */
	size_t n = s->baud ? s->baud / 50 : 256u << 10;

	return n < 4096 ? 4096 : n;
}

void sim_line(struct sim *s, const char *fmt, ...)
{
	char buf[SIM_LINE_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	sim_send(s, "\r\n", 2);
	sim_send(s, buf, (size_t)n);
	sim_send(s, "\r\n", 2);
}

void sim_ok(struct sim *s)
{
	sim_line(s, "OK");
}

void sim_error(struct sim *s)
{
	sim_line(s, "ERROR");
}

void sim_cme(struct sim *s, int code)
{
	if (!s->st.cmee)
		sim_error(s);
	else
		sim_line(s, "+CME ERROR: %d", code);
}

/*
 * 8N1: ten bits a byte. Bytes may leave only as fast as the line rate
 * allows since the start of the current run; an idle line starts a new run.
 */
static size_t pace_budget(struct sim *s, uint64_t now)
{
	uint64_t allowed;

	if (!s->baud)
		return (size_t)-1;
	allowed = (now - s->pace_t0) * s->baud / 10000;
	return allowed > s->pace_sent ? (size_t)(allowed - s->pace_sent) : 0;
}

/* Line time that may be made up after a late turn of the loop: 50 ms. */
static size_t pace_slack(const struct sim *s)
{
	return s->baud / 10 / 20 + 1;
}

static int flush_out(struct sim *s)
{
	uint64_t now = sim_now_ms();
	size_t n = s->out_len - s->out_pos, budget;
	ssize_t w;

	if (!n) {
		s->pace_idle = true;
		return -1;
	}
	if (s->pace_idle || !s->pace_t0) {
		/* an idle line banks no time: a new run starts now */
		s->pace_t0 = now;
		s->pace_sent = 0;
		s->pace_idle = false;
	}
	budget = pace_budget(s, now);
	if (s->baud && budget > pace_slack(s)) {
		/* nor does a line held up by a full pty (the host not reading) */
		s->pace_sent += budget - pace_slack(s);
		budget = pace_slack(s);
	}
	if (n > budget)
		n = budget;
	if (n) {
		w = write(s->master, s->out + s->out_pos, n);
		if (w > 0) {
			s->out_pos += (size_t)w;
			s->pace_sent += (uint64_t)w;
		}
	}
	if (s->out_pos == s->out_len)
		return -1;
	/* ms until one more byte is allowed */
	return s->baud ? 1 + (int)(10000 / s->baud) : 0;
}

/* ------------------------------------------------------------- timers */

int sim_timer_add(struct sim *s, unsigned int ms, sim_timer_fn fn, void *ctx)
{
	int i;

	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		if (!s->timers[i].id) {
			if (++s->next_timer_id <= 0)
				s->next_timer_id = 1;
			s->timers[i].id = s->next_timer_id;
			s->timers[i].due = sim_now_ms() + ms;
			s->timers[i].fn = fn;
			s->timers[i].ctx = ctx;
			return s->timers[i].id;
		}
	}
	fprintf(stderr, "qlink-sim: too many timers\n");
	exit(1);
}

void sim_timer_cancel(struct sim *s, int id)
{
	int i;

	for (i = 0; id && i < SIM_MAX_TIMERS; i++)
		if (s->timers[i].id == id)
			s->timers[i].id = 0;
}

static int run_timers(struct sim *s)
{
	uint64_t now = sim_now_ms();
	int i, next = -1;

	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		struct sim_timer t = s->timers[i];

		if (t.id && t.due <= now) {
			s->timers[i].id = 0;
			t.fn(s, t.ctx);
		}
	}
	now = sim_now_ms();
	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		if (s->timers[i].id) {
			int left = s->timers[i].due > now ? (int)(s->timers[i].due - now) : 0;

			if (next < 0 || left < next)
				next = left;
		}
	}
	return next;
}

/* --------------------------------------------------------------- curl */

struct curl_job {
	sim_curl_done done;
	void *ctx;
};

void sim_curl_start(struct sim *s, CURL *easy, sim_curl_done done, void *ctx)
{
	struct curl_job *job = calloc(1, sizeof(*job));

	if (!job) {
		fprintf(stderr, "qlink-sim: out of memory\n");
		exit(1);
	}
	job->done = done;
	job->ctx = ctx;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, job);
	curl_multi_add_handle(s->multi, easy);
}

void sim_curl_stop(struct sim *s, CURL *easy)
{
	struct curl_job *job = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
	curl_multi_remove_handle(s->multi, easy);
	free(job);
}

static void curl_completions(struct sim *s)
{
	CURLMsg *msg;
	int left;

	curl_multi_perform(s->multi, &s->running);
	while ((msg = curl_multi_info_read(s->multi, &left))) {
		struct curl_job *job = NULL;
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
		curl_multi_remove_handle(s->multi, easy);
		/* the job is freed here: a later sim_curl_stop() must not see it */
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		if (job) {
			sim_curl_done done = job->done;
			void *ctx = job->ctx;

			free(job);
			done(s, easy, rc, ctx);
		}
	}
}

/* ------------------------------------------------------------ reboot */

static void boot_done(struct sim *s, void *ctx)
{
	(void)ctx;
	s->mode = SIM_MODE_CMD;
	s->line_len = 0;
	s->booted = true;
	/* a module that lost power mid-update goes straight back into it */
	if (sim_fota_resume(s))
		return;
	sim_line(s, "RDY");
}

void sim_reboot(struct sim *s, unsigned int ms)
{
	sim_log(s, "reboot (%u ms)", ms);
	sim_ftp_reset(s);
	/* what it already said (END, POWERED DOWN) still leaves the UART */
	s->mode = SIM_MODE_OFF;
	s->st.echo = true;	/* ATE1 is the power-on default */
	memset(s->st.pdp, 0, sizeof(s->st.pdp));
	for (int i = 0; i < SIM_MAX_FILES; i++) {
		/* RAM: does not survive a reboot */
		if (s->files[i].name[0] && !strncmp(s->files[i].name, "RAM:", 4)) {
			free(s->files[i].data);
			memset(&s->files[i], 0, sizeof(s->files[i]));
		}
	}
	sim_timer_add(s, ms, boot_done, NULL);
}

/* --------------------------------------------------------------- main */

static int open_pty(struct sim *s)
{
	struct termios tio;
	const char *name;

	s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->master < 0 || grantpt(s->master) || unlockpt(s->master))
		return -1;
	name = ptsname(s->master);
	if (!name || strlen(name) >= sizeof(s->path))
		return -1;
	strcpy(s->path, name);
	/*
	 * Keep the host side open ourselves: the master then never reads EIO
	 * between two host programs, and the line is raw before anyone opens
	 * it (a module does not cook its UART).
	 */
	s->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->slave < 0 || tcgetattr(s->slave, &tio))
		return -1;
	cfmakeraw(&tio);
	if (tcsetattr(s->slave, TCSANOW, &tio))
		return -1;
	return fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: qlink-sim [options]\n"
		"  --model NAME       EC200T (default), EC200S, EC200N-CN, EC600S-CN,\n"
		"                     EC600N-CN, EC800N, EG912Y\n"
		"  --revision REV     firmware revision; ...M08 is an 8 MB part (MiniFOTA),\n"
		"                     ...M16 a 16 MB one\n"
		"  --pty LINK         also make LINK a symlink to the host side\n"
		"  --baud N           pace both directions at N baud 8N1 (default: unpaced)\n"
		"  --state DIR        keep firmware revision and UFS: files across runs\n"
		"  --guard-ms MS      +++ guard time (default 1000, the manual's 1 s)\n"
		"  --dtr FILE         read DTR (0/1) from FILE, e.g. a gpio-sim value\n"
		"  --pwrkey FILE      read PWRKEY (1: pressed) from FILE: a press of 500 ms\n"
		"                     switches it on, of 2.5 s off; QPOWD then stays off\n"
		"  --reset FILE       read RESET_N (1: held) from FILE: 100 ms or more resets\n"
		"  --off              start switched off (no RDY until PWRKEY)\n"
		"  --fault SPEC       inject a fault (see qlink-sim(1)); repeatable\n"
		"  -v, --verbose      log what the module does on stderr\n");
}

/* The shortest presses the simulated module acts on (README "Power"). */
#define SIM_PWRKEY_ON_MS 500
#define SIM_PWRKEY_OFF_MS 2500
#define SIM_RESET_MS 100
#define SIM_BOOT_MS 1000

void sim_power_off(struct sim *s)
{
	sim_log(s, "power off");
	sim_ftp_reset(s);
	s->mode = SIM_MODE_OFF;
	s->powered_off = true;
}

/* 0/1 from a value file; @dflt if it cannot be read */
static int pin_read(const char *file, int dflt)
{
	char c;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dflt;
	if (read(fd, &c, 1) != 1)
		c = dflt ? '1' : '0';
	close(fd);
	return c != '0';
}

/* A press ends: act on its width as the module's PWRKEY/RESET_N logic would. */
static void pins_poll(struct sim *s)
{
	uint64_t now = sim_now_ms();
	int v;

	if (s->pwrkey_file && (v = pin_read(s->pwrkey_file, 0)) != s->pwrkey_last) {
		s->pwrkey_last = v;
		if (v) {
			s->pwrkey_t0 = now;
		} else {
			uint64_t w = now - s->pwrkey_t0;

			sim_log(s, "PWRKEY pressed %llu ms", (unsigned long long)w);
			if (s->powered_off && w >= SIM_PWRKEY_ON_MS) {
				s->powered_off = false;
				sim_reboot(s, SIM_BOOT_MS);
			} else if (!s->powered_off && s->mode != SIM_MODE_OFF &&
				   w >= SIM_PWRKEY_OFF_MS) {
				sim_line(s, "POWERED DOWN");
				sim_power_off(s);
			}
		}
	}
	if (s->reset_file && (v = pin_read(s->reset_file, 0)) != s->reset_last) {
		s->reset_last = v;
		if (v) {
			s->reset_t0 = now;
		} else if (now - s->reset_t0 >= SIM_RESET_MS && !s->powered_off) {
			sim_log(s, "RESET_N held %llu ms", (unsigned long long)(now - s->reset_t0));
			sim_reboot(s, SIM_BOOT_MS);
		}
	}
}

static int dtr_read(struct sim *s)
{
	char c = '1';
	int fd;

	if (!s->dtr_file)
		return 1;
	fd = open(s->dtr_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (read(fd, &c, 1) != 1)
		c = '1';
	close(fd);
	return c != '0';
}

int main(int argc, char **argv)
{
	enum { O_MODEL = 256, O_REV, O_PTY, O_BAUD, O_STATE, O_GUARD, O_DTR, O_FAULT, O_PWRKEY,
	       O_RESET, O_OFF };
	static const struct option opts[] = {
		{ "model", required_argument, NULL, O_MODEL },
		{ "revision", required_argument, NULL, O_REV },
		{ "pty", required_argument, NULL, O_PTY },
		{ "baud", required_argument, NULL, O_BAUD },
		{ "state", required_argument, NULL, O_STATE },
		{ "guard-ms", required_argument, NULL, O_GUARD },
		{ "dtr", required_argument, NULL, O_DTR },
		{ "pwrkey", required_argument, NULL, O_PWRKEY },
		{ "reset", required_argument, NULL, O_RESET },
		{ "off", no_argument, NULL, O_OFF },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct sim sim = { .guard_ms = 1000, .dtr_last = 1 };
	struct sim *s = &sim;
	const char *model = "EC200T", *revision = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case O_MODEL:
			model = optarg;
			break;
		case O_REV:
			revision = optarg;
			break;
		case O_PTY:
			s->link = optarg;
			break;
		case O_BAUD:
			s->baud = (unsigned int)strtoul(optarg, NULL, 10);
			if (s->baud < 300 || s->baud > 4000000) {
				fprintf(stderr, "qlink-sim: --baud %s: 300..4000000\n", optarg);
				return 2;
			}
			break;
		case O_STATE:
			s->state_dir = optarg;
			break;
		case O_GUARD:
			s->guard_ms = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case O_DTR:
			s->dtr_file = optarg;
			break;
		case O_PWRKEY:
			s->pwrkey_file = optarg;
			break;
		case O_RESET:
			s->reset_file = optarg;
			break;
		case O_OFF:
			s->powered_off = true;
			break;
		case O_FAULT:
			if (s->n_faults == SIM_MAX_FAULTS) {
				fprintf(stderr, "qlink-sim: at most %d faults\n", SIM_MAX_FAULTS);
				return 2;
			}
			s->faults[s->n_faults++] = optarg;
			break;
		case 'v':
			s->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !sim_model_find(model)) {
		if (!sim_model_find(model))
			fprintf(stderr, "qlink-sim: unknown model '%s'\n", model);
		usage(stderr);
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		fprintf(stderr, "qlink-sim: libcurl failed to initialise\n");
		return 1;
	}
	s->multi = curl_multi_init();
	sim_state_init(s, model, revision);
	if (open_pty(s) < 0) {
		perror("qlink-sim: pty");
		return 1;
	}
	if (s->link) {
		unlink(s->link);
		if (symlink(s->path, s->link)) {
			perror(s->link);
			return 1;
		}
	}
	printf("%s\n", s->path);
	fflush(stdout);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * The module was powered on before the host opened the port, as on a
	 * board: RDY waits in the pty for whoever reads first. Later reboots
	 * take their time, and what the host sends meanwhile is lost.
	 */
	s->st.echo = true;
	s->mode = SIM_MODE_CMD;
	s->booted = true;
	if (s->powered_off)
		s->mode = SIM_MODE_OFF;
	else if (!sim_fota_resume(s))
		sim_line(s, "RDY");

	while (!stop) {
		struct curl_waitfd wfd = { .fd = s->master, .events = CURL_WAIT_POLLIN };
		int t_timer = run_timers(s), t_out, t = 1000, numfds;
		unsigned char buf[4096];
		ssize_t n;

		t_out = flush_out(s);
		if (t_out >= 0 && sim_out_pending(s))
			wfd.events |= CURL_WAIT_POLLOUT;
		if (t_timer >= 0 && t_timer < t)
			t = t_timer;
		if (t_out >= 0 && t_out < t)
			t = t_out;
		if ((s->dtr_file || s->pwrkey_file || s->reset_file) && t > 20)
			t = 20;	/* pins are polled: a file has no edge to wait for */
		if ((s->baud || sim_fota_read_rate(s)) && t > 10)
			t = 10;	/* paced input: come back for the next bytes */
		curl_multi_poll(s->multi, &wfd, 1, t, &numfds);
		curl_completions(s);
		pins_poll(s);
		if (s->dtr_file) {
			int dtr = dtr_read(s);

			if (dtr != s->dtr_last) {
				s->dtr_last = dtr;
				sim_dtr_changed(s, dtr);
			}
		}
		for (;;) {
			size_t room = sizeof(buf);

			if (s->baud || sim_fota_read_rate(s)) {
				/*
				 * The module takes bytes no faster than the line
				 * brings them; the rest waits in the pty, which is
				 * what RTS/CTS back-pressure looks like to a host.
				 */
				uint64_t now = sim_now_ms(), allowed, rate;

				if (s->in_idle || !s->in_t0) {
					/* the host had stopped: a new run starts now */
					s->in_t0 = now;
					s->in_read = 0;
					s->in_idle = false;
				}
				rate = s->baud ? s->baud / 10 : 0;
				if (sim_fota_read_rate(s) &&
				    (!rate || sim_fota_read_rate(s) < rate))
					rate = sim_fota_read_rate(s);
				allowed = (now - s->in_t0) * rate / 1000;
				if (allowed > s->in_read + rate / 20 + 1)
					s->in_read = allowed - rate / 20 - 1;	/* 50 ms slack, as out */
				room = allowed > s->in_read ? (size_t)(allowed - s->in_read) : 0;
				if (room > sizeof(buf))
					room = sizeof(buf);
				if (!room)
					break;
			}

			if (s->mode == SIM_MODE_OFF) {
				/* powered off: what the host sends is lost */
				while (read(s->master, buf, sizeof(buf)) > 0)
					;
				break;
			}
			n = read(s->master, buf, room);
			if (n <= 0) {
				s->in_idle = room > 0;
				break;
			}
			s->in_read += (uint64_t)n;
			s->prev_in = s->last_in;
			s->last_in = sim_now_ms();
			sim_input(s, buf, (size_t)n);
		}
	}
	if (s->link)
		unlink(s->link);
	sim_state_save(s);
	curl_multi_cleanup(s->multi);
	curl_global_cleanup();
	return 0;
}
