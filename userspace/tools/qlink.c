// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink: the command-line tool. Global options come before the
 * subcommand, as with ip(8) and git(1):
 *
 *   qlink -p /dev/ttyUSB2 -b 115200 at 'AT+CSQ'
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <time.h>

#include "qlink-paths.h" /* generated: QLINK_TOOL_CONFIG_PATH, $(SYSCONFDIR)/qlink.conf */
#include "tool.h"

static const struct {
	const char *name;
	int (*run)(struct tool *t, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "at", cmd_at, "at CMD...       send AT commands, print responses and URCs" },
	{ "info", cmd_info, "info            manufacturer, model, revision, flash variant, IMEI" },
	{ "status", cmd_status,
	  "status          SIM, registration, operator, signal, cell, PDP contexts" },
	{ "ftp", cmd_ftp,
	  "ftp [--url URL] COMMAND   the module's FTP(S) client (qlink ftp --help)" },
	{ "attach", cmd_attach,
	  "attach          put qlink.ko's line discipline on the port and hold it" },
	{ "monitor", cmd_monitor,
	  "monitor [--count N] [--duration S]  URCs as they come (port, or qlink.ko's)" },
	{ "urc", cmd_urc, "urc [--netlink] [--follow] [--count N]  URC records from qlink.ko" },
	{ "stats", cmd_stats, "stats [TTY]     qlink.ko's counters (all ttys, or one)" },
	{ "fota", cmd_fota,
	  "fota SOURCE     upgrade the firmware from a URL or a file (fota --help)" },
	{ "power", cmd_power, "power on|off|reset|status   the module's PWRKEY and RESET_N pins" },
	{ "escape", cmd_escape,
	  "escape          leave data mode (DTR, else +++) and confirm with AT" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: qlink [options] COMMAND [ARGS]\n\n"
		   "options:\n"
		   "  -p, --port DEV     the module's AT port (default: $QLINK_PORT)\n"
		   "  -b, --baud N       line rate (default 115200; 0 keeps the port's)\n"
		   "      --no-rtscts    no hardware flow control (boards without RTS/CTS)\n"
		   "  -t, --timeout S    bound every command by S seconds instead of the\n"
		   "                     manuals' maximum response times\n"
		   "  -v, --verbose      trace the AT traffic on stderr (credentials masked)\n"
		   "      --json         machine-readable result on stdout\n"
		   "      --wait-lock[=S]  wait up to S seconds (default 1800) for a port\n"
		   "                     another program holds, instead of exit 3\n"
		   "      --inhibit-mm   ask ModemManager to let go of the port for the\n"
		   "                     command (fota and ftp do when it manages it)\n"
		   "      --dtr-gpio L   the GPIO line on the module's DTR: a name\n"
		   "                     (MODEM_DTR) or CHIP:OFFSET, optionally ,active-low\n"
		   "      --pwrkey-gpio L  the line on PWRKEY (qlink power)\n"
		   "      --reset-gpio L   the line on RESET_N (qlink power reset)\n"
		   "      --config FILE  board settings (default: $QLINK_CONFIG, else\n"
		   "                     " QLINK_TOOL_CONFIG_PATH " if present; options win)\n"
		   "  -V, --version      print the version\n"
		   "  -h, --help         this text\n\n"
		   "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	fprintf(f, "\nqlink help CMD (or qlink CMD --help): a command's own options\n");
	fprintf(f, "\nexit codes: 0 ok, 1 the module reported an error, 2 usage,\n"
		   "            3 port unavailable or lost, 4 no answer in time,\n"
		   "            130 interrupted (SIGINT, SIGTERM)\n"
		   "            (fota also: 5 refused before anything was sent, 6 other revision,\n"
		   "            7 already at the target with --skip-if-current)\n");
}

/* qlink help [CMD]: what qlink --help and qlink CMD --help print */
static int help(int argc, char **argv)
{
	if (argc == 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc == 2 && cmd_help_has(argv[1])) {
		cmd_help_print(argv[1], stdout);
		return EXIT_OK;
	}
	fprintf(stderr, "qlink: help %s: no such command (see qlink --help)\n",
		argc == 2 ? argv[1] : "takes one command");
	return EXIT_USAGE;
}

/*
 * --help anywhere before "--" is the command's help, the same for every
 * command; a global option after the command says where it goes.
 */
static int run_command(struct tool *t, size_t i, int argc, char **argv)
{
	const char *g;
	int k;

	for (k = 1; k < argc && strcmp(argv[k], "--"); k++)
		if (!strcmp(argv[k], "--help") || (k == 1 && !strcmp(argv[k], "-h"))) {
			cmd_help_print(commands[i].name, stdout);
			return EXIT_OK;
		}
	g = cmd_help_global_after(commands[i].name, argc, argv);
	if (g) {
		fprintf(stderr,
			"qlink: %s is a global option: it goes before the command "
			"(qlink %s ... %s ...)\n",
			g, g, commands[i].name);
		return EXIT_USAGE;
	}
	return commands[i].run(t, argc, argv);
}

uint64_t tool_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void tool_trace(enum qlink_log_dir dir, const char *text, void *user)
{
	static const char *const mark[] = {
		[QLINK_LOG_TX] = ">>",
		[QLINK_LOG_RX] = "<<",
		[QLINK_LOG_URC] = "<!",
		[QLINK_LOG_INFO] = "--",
	};

	(void)user;
	fprintf(stderr, "%s %s\n",
		(unsigned int)dir < sizeof(mark) / sizeof(mark[0]) && mark[dir] ? mark[dir] : "??",
		text);
}

/* "/dev/ttyUSB2 is in use by pid 4242 (qlink fota, since 12:01:07)" */
static void print_busy(const char *port, const char *verb)
{
	struct qlink_tty_holder h;
	char since[32] = "";
	struct tm tm;

	if (qlink_transport_find_tty_holder(port, &h) != 1) {
		fprintf(stderr, "qlink: %s %s in use (%s)\n", port, verb, strerror(EBUSY));
		return;
	}
	if (h.since && localtime_r(&h.since, &tm))
		strftime(since, sizeof(since), ", since %H:%M:%S", &tm);
	fprintf(stderr, "qlink: %s %s in use by pid %d (%s%s)\n", port, verb, (int)h.pid,
		h.name[0] ? h.name : "?", since);
}

/* --wait-lock without S: longer than a FOTA job's download, update and boot bounds together */
#define WAIT_LOCK_DEFAULT_MS (1800u * 1000u)
/* How often a busy port is tried again under --wait-lock */
#define WAIT_LOCK_RETRY_MS 200

static bool baud_supported(unsigned int baud)
{
	const unsigned int *b;
	size_t n, i;

	b = qlink_transport_tty_get_bauds(&n);
	for (i = 0; i < n; i++)
		if (b[i] == baud)
			return true;
	return !baud;
}

/* "qlink: -b 12345: not a line rate the port takes (...)" */
static void bad_baud(const char *what, const char *val)
{
	const unsigned int *b;
	size_t n, i;

	b = qlink_transport_tty_get_bauds(&n);
	fprintf(stderr, "qlink: %s %s: not a baud rate qlink can set; one of", what, val);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %u", i ? "," : "", b[i]);
	fprintf(stderr, ", or 0 to keep the port's\n");
}

struct qlink_transport *tool_open_port(struct tool *t, unsigned int flags, int *ret)
{
	uint64_t deadline = tool_now_ms() + t->wait_lock_ms;
	struct qlink_transport *tr;
	bool told = false;

	flags |= QLINK_TTY_EXCLUSIVE | (t->rtscts ? QLINK_TTY_RTSCTS : 0);
	for (;;) {
		uint64_t now;

		tr = qlink_transport_open_tty(t->port, t->baud, flags);
		if (tr || errno != EBUSY)
			break;
		now = tool_now_ms();
		if (now >= deadline) {
			print_busy(t->port, told ? "is still" : "is");
			*ret = EXIT_PORT;
			return NULL;
		}
		if (!told && t->verbose)
			print_busy(t->port, "is");
		told = true;
		/* a holder's exit is not announced anywhere: look again shortly */
		poll(NULL, 0,
		     (int)(deadline - now < WAIT_LOCK_RETRY_MS ? deadline - now :
								 WAIT_LOCK_RETRY_MS));
	}
	if (!tr && errno == ENOTTY) {
		fprintf(stderr,
			"qlink: %s: not a serial port (the module's AT port is a tty, "
			"e.g. /dev/ttyUSB2)\n",
			t->port);
		*ret = tool_exit_code(ENOTTY, TOOL_EXIT_OPEN);
	} else if (!tr && errno == EINVAL && !baud_supported(t->baud)) {
		/* a baud from the config file, which the file's check lets through */
		bad_baud("the config file's baud", t->baud_text ? t->baud_text : "");
		*ret = EXIT_USAGE;
	} else if (!tr) {
		fprintf(stderr, "qlink: %s: %s\n", t->port, strerror(errno));
		*ret = tool_exit_code(errno, TOOL_EXIT_OPEN | TOOL_EXIT_USAGE_EINVAL);
	}
	return tr;
}

/*
 * ModemManager closes a port some time after its modem object goes: how
 * long the port is waited for after an inhibition, unless --wait-lock
 * says longer.
 */
#define MM_RELEASE_MS 10000
/* InhibitDevice disables the modem first: ModemManager's own bound is about this */
#define MM_INHIBIT_MS 30000

/*
 * Ask ModemManager to let go of the port for this job. Automatic (a fota or
 * ftp job) only where ModemManager manages the port; with --inhibit-mm a
 * failure other than "nothing to inhibit" ends the command.
 */
static int tool_inhibit_mm(struct tool *t)
{
	if (!t->inhibit_mm)
		return EXIT_OK;
	t->mm = qlink_mm_new();
	if (!t->mm) {
		fprintf(stderr, "qlink: out of memory\n");
		return EXIT_FAIL;
	}
	if (qlink_mm_inhibit(t->mm, t->port, MM_INHIBIT_MS) == 0) {
		if (t->verbose)
			fprintf(stderr, "-- ModemManager let go of %s (InhibitDevice %s)\n",
				t->port, qlink_mm_get_uid(t->mm));
		if (t->wait_lock_ms < MM_RELEASE_MS)
			t->wait_lock_ms = MM_RELEASE_MS;
		return EXIT_OK;
	}
	if (errno == ENOENT || (errno == ENOTSUP && !t->inhibit_mm_asked)) {
		/* nothing to inhibit, or no way to: the port check names any holder */
		if (t->verbose)
			fprintf(stderr, "-- %s\n", qlink_mm_get_error(t->mm));
		qlink_mm_free(t->mm);
		t->mm = NULL;
		return EXIT_OK;
	}
	fprintf(stderr, "qlink: %s\n", qlink_mm_get_error(t->mm));
	qlink_mm_free(t->mm);
	t->mm = NULL;
	return errno == ENOTSUP ? EXIT_USAGE : EXIT_PORT;
}

static int tool_open_dtr(struct tool *t);

int tool_open(struct tool *t)
{
	struct qlink_transport *tr;
	int ret;

	if (!t->port) {
		fprintf(stderr, "qlink: no port: pass -p DEV or set QLINK_PORT\n");
		return EXIT_USAGE;
	}
	/* a build without GPIO says so before the port is even looked at */
	if (t->dtr_spec && !qlink_gpio_available()) {
		fprintf(stderr, "qlink: DTR line %s: %s\n", t->dtr_spec, TOOL_NO_GPIO);
		return EXIT_USAGE;
	}
	ret = tool_inhibit_mm(t);
	if (ret != EXIT_OK)
		return ret;
	tr = tool_open_port(t, 0, &ret);
	if (!tr) {
		tool_close(t);
		return ret;
	}
	if (t->rtscts && qlink_transport_get_rtscts(tr) == 0 && t->verbose)
		fprintf(stderr, "-- %s: the driver did not keep CRTSCTS: no flow control\n",
			t->port);
	t->chan = qlink_chan_new(tr);
	if (!t->chan) {
		fprintf(stderr, "qlink: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	if (t->verbose)
		qlink_chan_set_log(t->chan, tool_trace, t);
	qlink_chan_set_timeout(t->chan, t->timeout_ms);
	/*
	 * If qlink.ko's line discipline holds the port (qlink attach), tell it
	 * when a transfer's data mode ends, or it publishes no URC after. Looked
	 * up at the first data phase, so commands without one never ask the
	 * tty; never put on a port here: that is qlink attach's decision.
	 */
	t->ldisc = qlink_ldisc_attach(qlink_chan_get_fd(t->chan), 0,
				      QLINK_LDISC_EXISTING | QLINK_LDISC_DEFERRED);
	if (t->ldisc)
		qlink_ldisc_follow(t->ldisc, t->chan);
	return tool_open_dtr(t);
}

/* A board with DTR on a GPIO line leaves data mode by DTR (AT&D1). */
static int tool_open_dtr(struct tool *t)
{
	int ret;

	if (!t->dtr_spec)
		return EXIT_OK;
	t->dtr = qlink_gpio_request(t->dtr_spec, "qlink-dtr", 1);
	if (!t->dtr) {
		int err = errno;

		fprintf(stderr, "qlink: DTR line %s: %s\n", t->dtr_spec,
			err == ENOTSUP ? TOOL_NO_GPIO : strerror(err));
		ret = err == ENOTSUP ? EXIT_USAGE :
				       tool_exit_code(err, TOOL_EXIT_OPEN | TOOL_EXIT_USAGE_EINVAL);
		tool_close(t);
		return ret;
	}
	if (qlink_gpio_attach_dtr(t->dtr, t->chan) < 0) {
		fprintf(stderr, "qlink: AT&D1 (leave data mode on DTR): %s\n", strerror(errno));
		/* ENXIO here has always been exit 1, not 3 */
		ret = tool_exit_code(errno, TOOL_EXIT_NO_LOSS);
		tool_close(t);
		return ret;
	}
	return EXIT_OK;
}

void tool_close(struct tool *t)
{
	qlink_chan_free(t->chan);
	t->chan = NULL;
	qlink_ldisc_close(t->ldisc); /* leaves qlink attach's in place */
	t->ldisc = NULL;
	/* after the channel, which borrowed it */
	qlink_gpio_free(t->dtr);
	t->dtr = NULL;
	/* the port is closed: ModemManager may probe it again */
	if (t->mm && qlink_mm_uninhibit(t->mm) < 0)
		fprintf(stderr, "qlink: %s\n", qlink_mm_get_error(t->mm));
	qlink_mm_free(t->mm);
	t->mm = NULL;
}

/*
 * A command left unanswered: if AT is unanswered too, nothing on the port
 * is listening, and what a new board gets wrong is a short list.
 */
void tool_hint_no_answer(struct tool *t)
{
	struct qlink_resp *r = NULL;

	if (!t || !t->chan)
		return;
	/* bounded by the manual's 300 ms for AT, or -t */
	if (qlink_chan_exec(t->chan, "AT", NULL, &r) == 0 || !r ||
	    qlink_resp_get_status(r) != -ETIMEDOUT) {
		qlink_resp_free(r);
		return;
	}
	qlink_resp_free(r);
	fprintf(stderr, TOOL_NO_ANSWER_HINT, t->port);
}

int tool_fail(struct tool *t, const struct qlink_resp *resp, const char *what)
{
	int status = resp ? qlink_resp_get_status(resp) : -errno;

	if (resp)
		fprintf(stderr, "qlink: %s\n", qlink_resp_get_error(resp));
	else
		fprintf(stderr, "qlink: %s: %s\n", what, strerror(-status));
	if (status == -ETIMEDOUT)
		tool_hint_no_answer(t);
	return tool_exit_code(-status, 0);
}

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 10000000)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_seconds(const char *s, unsigned int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v <= 0 || v > 86400)
		return -1;
	*ms = (unsigned int)(v * 1000 + 0.5);
	return *ms ? 0 : -1;
}

/* What the command line set, so that the config file fills in only the rest. */
struct board {
	const char *config; /* --config, else $QLINK_CONFIG */
	bool baud_set, rtscts_set;
};

/*
 * The board's settings: an option wins over $QLINK_PORT, which wins over
 * the file. A file named by --config or $QLINK_CONFIG must exist; the
 * default one need not. The strings stay in @cfg, freed by the caller.
 */
static int apply_config(struct tool *t, struct board *b, struct qlink_config *cfg)
{
	const char *path = b->config ? b->config : QLINK_TOOL_CONFIG_PATH, *v;

	if (qlink_config_load(cfg, path) < 0) {
		if (errno == ENOENT && !b->config)
			return EXIT_OK;
		fprintf(stderr, "qlink: %s\n", qlink_config_get_error(cfg));
		return EXIT_USAGE;
	}
	if (!t->port)
		t->port = qlink_config_get_value(cfg, "port");
	if (!b->baud_set && (v = qlink_config_get_value(cfg, "baud"))) {
		parse_uint(v, &t->baud); /* checked by the parser */
		t->baud_text = v;
	}
	if (!b->rtscts_set && (v = qlink_config_get_value(cfg, "rtscts")))
		t->rtscts = !strcmp(v, "yes");
	if (!t->dtr_spec)
		t->dtr_spec = qlink_config_get_value(cfg, "dtr_gpio");
	if (!t->pwrkey_spec)
		t->pwrkey_spec = qlink_config_get_value(cfg, "pwrkey_gpio");
	if (!t->reset_spec)
		t->reset_spec = qlink_config_get_value(cfg, "reset_gpio");
	return EXIT_OK;
}

/*
 * A password inside an argument (qlink at 'AT+QFTPCFG="account",...')
 * would stay readable in ps(1) for as long as qlink runs. Work on copies
 * and overwrite the secrets in the process's own argument strings.
 */
static void free_argv(char **copy, int argc)
{
	int i;

	for (i = 0; i < argc; i++)
		free(copy[i]);
	free(copy);
}

static char **scrub_argv(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));
	int i;

	if (!copy)
		return NULL;
	for (i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]);
		size_t room = 2 * len + 16;
		char *masked = malloc(room);

		copy[i] = strdup(argv[i]);
		if (!copy[i] || !masked) {
			free(masked);
			free_argv(copy, argc);
			return NULL;
		}
		if (qlink_redact(argv[i], masked, room) != len || strcmp(masked, argv[i])) {
			/* same storage, never longer: the secret is gone either way */
			memset(argv[i], 0, len);
			memcpy(argv[i], masked, strlen(masked) < len ? strlen(masked) : len);
		}
		free(masked);
	}
	return copy;
}

int main(int argc, char **argv)
{
	enum {
		OPT_NO_RTSCTS = 256,
		OPT_JSON,
		OPT_DTR,
		OPT_PWRKEY,
		OPT_RESET,
		OPT_CONFIG,
		OPT_WAIT,
		OPT_INHIBIT_MM,
	};
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "baud", required_argument, NULL, 'b' },
		{ "no-rtscts", no_argument, NULL, OPT_NO_RTSCTS },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "wait-lock", optional_argument, NULL, OPT_WAIT },
		{ "inhibit-mm", no_argument, NULL, OPT_INHIBIT_MM },
		{ "dtr-gpio", required_argument, NULL, OPT_DTR },
		{ "pwrkey-gpio", required_argument, NULL, OPT_PWRKEY },
		{ "reset-gpio", required_argument, NULL, OPT_RESET },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tool t = {
		.port = getenv("QLINK_PORT"),
		.baud = 115200,
		.rtscts = true,
		.out = stdout,
	};
	struct board b = { .config = getenv("QLINK_CONFIG") };
	struct qlink_config *cfg;
	char **args;
	size_t i;
	int c, ret;

	cfg = qlink_config_new();
	if (!cfg) {
		fprintf(stderr, "qlink: out of memory\n");
		return EXIT_FAIL;
	}
	/* '+' stops at the subcommand: its own arguments may look like options */
	while ((c = getopt_long(argc, argv, "+p:b:t:vVh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			t.port = optarg;
			break;
		case 'b':
			if (parse_uint(optarg, &t.baud) < 0 || !baud_supported(t.baud)) {
				bad_baud("-b", optarg);
				ret = EXIT_USAGE;
				goto free_cfg;
			}
			b.baud_set = true;
			break;
		case OPT_NO_RTSCTS:
			t.rtscts = false;
			b.rtscts_set = true;
			break;
		case OPT_DTR:
		case OPT_PWRKEY:
		case OPT_RESET:
			/* the same check, in the same words, as the file's dtr_gpio = ... */
			if (qlink_config_check(cfg,
					       c == OPT_DTR    ? "dtr_gpio" :
					       c == OPT_PWRKEY ? "pwrkey_gpio" :
								 "reset_gpio",
					       optarg) < 0) {
				fprintf(stderr, "qlink: %s\n", qlink_config_get_error(cfg));
				ret = EXIT_USAGE;
				goto free_cfg;
			}
			*(c == OPT_DTR	  ? &t.dtr_spec :
			  c == OPT_PWRKEY ? &t.pwrkey_spec :
					    &t.reset_spec) = optarg;
			break;
		case OPT_CONFIG:
			b.config = optarg;
			break;
		case 't':
			if (parse_seconds(optarg, &t.timeout_ms) < 0) {
				fprintf(stderr, "qlink: -t %s: not a number of seconds\n", optarg);
				ret = EXIT_USAGE;
				goto free_cfg;
			}
			break;
		case 'v':
			t.verbose++;
			break;
		case OPT_JSON:
			t.json = true;
			break;
		case OPT_INHIBIT_MM:
			t.inhibit_mm = t.inhibit_mm_asked = true;
			break;
		case OPT_WAIT:
			t.wait_lock_ms = WAIT_LOCK_DEFAULT_MS;
			if (optarg && parse_seconds(optarg, &t.wait_lock_ms) < 0) {
				fprintf(stderr, "qlink: --wait-lock=%s: not a number of seconds\n",
					optarg);
				ret = EXIT_USAGE;
				goto free_cfg;
			}
			break;
		case 'V':
			printf("qlink %s\n", qlink_version_string());
			ret = EXIT_OK;
			goto free_cfg;
		case 'h':
			usage(stdout);
			ret = EXIT_OK;
			goto free_cfg;
		default:
			usage(stderr);
			ret = EXIT_USAGE;
			goto free_cfg;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		ret = EXIT_USAGE;
		goto free_cfg;
	}
	ret = apply_config(&t, &b, cfg);
	if (ret != EXIT_OK)
		goto free_cfg;
	args = scrub_argv(argc, argv);
	if (!args) {
		fprintf(stderr, "qlink: out of memory\n");
		ret = EXIT_FAIL;
		goto free_cfg;
	}
	ret = EXIT_USAGE;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(args[optind], commands[i].name))
			break;
	if (!strcmp(args[optind], "help")) {
		ret = help(argc - optind, args + optind);
	} else if (i < sizeof(commands) / sizeof(commands[0])) {
		char comm[16];

		/* what a second user of the port is told holds it: "qlink fota" */
		snprintf(comm, sizeof(comm), "qlink %s", commands[i].name);
		prctl(PR_SET_NAME, comm, 0, 0, 0);
		ret = run_command(&t, i, argc - optind, args + optind);
	} else
		fprintf(stderr, "qlink: unknown command '%s' (see qlink --help)\n", args[optind]);
	free_argv(args, argc);
free_cfg:
	qlink_config_free(cfg);
	return ret;
}
