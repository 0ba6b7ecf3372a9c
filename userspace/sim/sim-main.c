// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-sim's top: options, the pty, and the one event loop (libcurl's
 * multi poll with the pty as an extra descriptor). Nothing calls back
 * into this file; output, timers and curl are sim-io.c's, power and the
 * board's lines sim-power.c's.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sim-core.h"
#include "sim-io.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

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
	fprintf(f, "usage: qlink-sim [options]\n"
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

/* Bytes a second the module reads at; 0: as fast as they come. */
static unsigned int in_rate(struct sim *s)
{
	unsigned int rate = s->baud / 10, fota = sim_fota_read_rate(s);

	if (fota && (!rate || fota < rate))
		rate = fota;
	return rate;
}

/*
 * How much the module may read now. It takes bytes no faster than the line
 * brings them; the rest waits in the pty, which is what RTS/CTS
 * back-pressure looks like to a host.
 */
static size_t in_room(struct sim *s, size_t max)
{
	uint64_t now = sim_now_ms(), allowed, rate = in_rate(s);

	if (!rate)
		return max;
	if (s->in_idle || !s->in_t0) {
		/* the host had stopped: a new run starts now */
		s->in_t0 = now;
		s->in_read = 0;
		s->in_idle = false;
	}
	allowed = (now - s->in_t0) * rate / 1000;
	/* 50 ms slack, as for output */
	if (allowed > s->in_read + rate / 20 + 1)
		s->in_read = allowed - rate / 20 - 1;
	allowed -= s->in_read;
	return allowed < max ? (size_t)allowed : max;
}

/*
 * -1: the module may read, so wait for the host's bytes (POLLIN); otherwise
 * ms until the next piece is due. Polling the pty for input while the pace
 * forbids reading it would return at once, again and again: a busy wait.
 */
static int in_due_ms(struct sim *s)
{
	unsigned int rate = in_rate(s);
	/*
	 * 1 ms of line time a turn, the granularity the loop always had: it
	 * sets how often a host writing into a full pty is woken, and so
	 * what its CPU per byte measures.
	 */
	size_t chunk = sim_pace_chunk(rate, 1);

	if (!rate || s->in_idle || in_room(s, chunk) >= chunk)
		return -1;
	return sim_pace_due_ms(s->in_t0, s->in_read, chunk, rate, sim_now_ms());
}

int main(int argc, char **argv)
{
	enum {
		O_MODEL = 256,
		O_REV,
		O_PTY,
		O_BAUD,
		O_STATE,
		O_GUARD,
		O_DTR,
		O_FAULT,
		O_PWRKEY,
		O_RESET,
		O_OFF
	};
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
	s->on_power_loss = sim_ftp_reset;
	s->on_boot = sim_fota_resume;
	s->st.echo = true;
	s->mode = SIM_MODE_CMD;
	s->booted = true;
	if (s->powered_off)
		s->mode = SIM_MODE_OFF;
	else if (!sim_fota_resume(s))
		sim_line(s, "RDY");

	while (!stop) {
		struct curl_waitfd wfd = { .fd = s->master, .events = 0 };
		int t_timer = sim_timers_run(s), t_out, t = 1000, t_in = -1, numfds;
		unsigned char buf[4096];
		ssize_t n;

		t_out = sim_out_flush(s);
		if (s->out_full)
			wfd.events |= CURL_WAIT_POLLOUT;
		if (t_timer >= 0 && t_timer < t)
			t = t_timer;
		if (t_out >= 0 && !s->out_full && t_out < t)
			t = t_out;
		if ((s->dtr_file || s->pwrkey_file || s->reset_file) && t > 20)
			t = 20; /* pins are polled: a file has no edge to wait for */
		t_in = in_due_ms(s);
		if (t_in < 0)
			wfd.events |= CURL_WAIT_POLLIN;
		else if (t_in < t)
			t = t_in; /* paced input: asleep until the next piece is due */
		if (sim_in_data_mode(s) && t > 20)
			/*
			 * In data mode the loop looks at the pty at least every
			 * 20 ms, so "last seen empty" (what the FIFO model
			 * dates the bytes by) is never older than that unless
			 * the simulator itself was held up.
			 */
			t = 20;
		curl_multi_poll(s->multi, wfd.events ? &wfd : NULL, wfd.events ? 1 : 0, t, &numfds);
		sim_curl_completions(s);
		sim_pins_poll(s);
		for (;;) {
			size_t room = in_room(s, sizeof(buf));

			if (!room)
				break;
			if (s->mode == SIM_MODE_OFF) {
				/* powered off: what the host sends is lost */
				while (read(s->master, buf, sizeof(buf)) > 0)
					;
				s->in_empty_t = sim_now_ms();
				break;
			}
			n = read(s->master, buf, room);
			if (n <= 0) {
				s->in_idle = true;
				s->in_empty_t = sim_now_ms();
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
