// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink fota SOURCE: upgrade the module's firmware from a URL the module
 * fetches or from a file uploaded over the port, and say for certain how
 * it ended. The work is libqlink's (qlink_fota_*); this is options,
 * findings, the confirmation, one progress bar and the result.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fota-manifest.h"
#include "fota-report.h"
#include "json.h"
#include "tool.h"

static const char usage_text[] =
	"usage: qlink [options] fota [SOURCE] [--mode reboot|immediate] [--urc-download N]\n"
	"             [--urc-update N] [--expect-revision REV] [--rate BYTES_PER_S]\n"
	"             [--flow auto|rtscts|none] [--cid N] [--apn APN] [--protocol-mode]\n"
	"             [--download-timeout S] [--update-timeout S] [--boot-timeout S]\n"
	"             [--attach-timeout S] [--dry-run] [--resume] [--yes] [--log FILE]\n"
	"             [--manifest FILE] [--skip-if-current] [--progress plain|json]\n"
	"             [--progress-fd N] [--no-host-check]\n"
	"  SOURCE   ftp://, http:// or https:// URL the module fetches, or a file on the host\n"
	"           uploaded over the port (FILE:<length>); default: the manifest's source\n"
	"exit codes: 0 upgraded and revision read back, 1 the module reported an error or\n"
	"            gave up, 2 usage, 3 port lost, 4 a bound passed, 5 refused before\n"
	"            anything was sent, 6 upgraded to another revision than expected,\n"
	"            7 --skip-if-current: the module already runs the target; nothing sent\n";

struct bar {
	bool on;
	int width; /* last line's length, to blank it */
	struct fota_report *report;
};

static const char *const phase_word[] = {
	[QLINK_FOTA_PHASE_CHECK] = "checking",	 [QLINK_FOTA_PHASE_SETUP] = "setting up",
	[QLINK_FOTA_PHASE_UPLOAD] = "uploading", [QLINK_FOTA_PHASE_DOWNLOAD] = "downloading",
	[QLINK_FOTA_PHASE_UPDATE] = "updating",	 [QLINK_FOTA_PHASE_REBOOT] = "rebooting",
	[QLINK_FOTA_PHASE_VERIFY] = "verifying", [QLINK_FOTA_PHASE_DONE] = "done",
};

static void draw(const struct qlink_fota_progress *p, void *user)
{
	struct bar *b = user;
	char line[160], detail[80] = "";
	int fill = p->percent * 30 / 100, n;

	fota_report_step(b->report, p);
	if (!b->on)
		return;
	if (p->phase == QLINK_FOTA_PHASE_UPLOAD && p->total)
		snprintf(detail, sizeof(detail), " %llu/%llu bytes, %.1f KB/s",
			 (unsigned long long)p->bytes, (unsigned long long)p->total,
			 p->rate / 1000.0);
	else if (p->part)
		snprintf(detail, sizeof(detail), " package %d of 2", p->part);
	if (p->phase_percent >= 0 && p->phase != QLINK_FOTA_PHASE_DONE)
		snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " (%d %%)",
			 p->phase_percent);
	n = snprintf(line, sizeof(line), "\r[%.*s%.*s] %3d %% %s%s", fill,
		     "##############################", 30 - fill, "------------------------------",
		     p->percent, phase_word[p->phase], detail);
	fprintf(stderr, "%s%*s", line, b->width > n ? b->width - n : 0, "");
	b->width = n;
	fflush(stderr);
}

/* the job Ctrl-C stops, and the channel it starts on */
static struct {
	struct qlink_fota *f;
	struct qlink_chan *chan;
} watched;

/*
 * Ctrl-C stops the watching, logged, not the module; the channel's waits
 * for a silent module end within a second (qlink_chan_cancel()).
 */
static void cancel_job(void *w)
{
	(void)w;
	qlink_fota_cancel(watched.f);
	qlink_chan_cancel(watched.chan);
}

static int exit_code(enum qlink_fota_outcome o)
{
	switch (o) {
	case QLINK_FOTA_OUTCOME_UPGRADED:
		return EXIT_OK;
	case QLINK_FOTA_OUTCOME_REFUSED:
		return EXIT_REFUSED;
	case QLINK_FOTA_OUTCOME_MISMATCH:
		return EXIT_MISMATCH;
	case QLINK_FOTA_OUTCOME_TIMEOUT:
		return EXIT_TIMEOUT;
	case QLINK_FOTA_OUTCOME_PORT_LOST:
		return EXIT_PORT;
	case QLINK_FOTA_OUTCOME_CANCELLED:
		return EXIT_CANCELLED;
	default:
		return EXIT_FAIL;
	}
}

static const char *space_word(enum qlink_code_space s)
{
	switch (s) {
	case QLINK_CODE_FTP:
		return "ftp";
	case QLINK_CODE_HTTP:
		return "http";
	case QLINK_CODE_FILE:
		return "file";
	default:
		return "fota";
	}
}

static void print_findings(struct tool *t, struct qlink_fota *f)
{
	enum qlink_fota_level l;
	size_t i;

	for (i = 0; i < qlink_fota_get_finding_count(f); i++) {
		const char *s = qlink_fota_get_finding(f, i, &l);

		fprintf(t->out, "%-7s %s\n",
			l == QLINK_FOTA_REFUSE ? "REFUSE:" :
			l == QLINK_FOTA_WARN   ? "warn:" :
						 "note:",
			s);
	}
}

/* @outcome, @message: NULL for the job's own (the manifest's verdicts are the tool's) */
static void print_json(struct tool *t, struct qlink_fota *f, const char *source, bool dry, bool ran,
		       const char *outcome, const char *message)
{
	const struct qlink_fota_progress *p = qlink_fota_get_progress(f);
	enum qlink_code_space space;
	int code = qlink_fota_get_code(f, &space);
	enum qlink_fota_level l;
	struct json j;
	size_t i;

	json_init(&j, t->out);
	json_obj_begin(&j, NULL);
	json_str(&j, "outcome",
		 outcome ? outcome :
		 ran	 ? qlink_fota_outcome_name(qlink_fota_get_outcome(f)) :
		 qlink_fota_get_finding_count(f) && !dry ? "refused" :
							   "checked");
	json_bool(&j, "ok",
		  outcome ? !strcmp(outcome, "current") :
		  ran	  ? qlink_fota_get_outcome(f) == QLINK_FOTA_OUTCOME_UPGRADED :
			    dry);
	json_bool(&j, "dry_run", dry);
	json_str(&j, "source", source[0] ? source : NULL);
	json_str(&j, "model", qlink_fota_get_model(f)[0] ? qlink_fota_get_model(f) : NULL);
	if (qlink_fota_get_flash_mb(f) > 0)
		json_int(&j, "flash_mb", qlink_fota_get_flash_mb(f));
	else
		json_null(&j, "flash_mb");
	json_str(&j, "revision_before",
		 qlink_fota_get_revision_before(f)[0] ? qlink_fota_get_revision_before(f) : NULL);
	json_str(&j, "revision_after",
		 qlink_fota_get_revision_after(f)[0] ? qlink_fota_get_revision_after(f) : NULL);
	if (code >= 0) {
		json_int(&j, "code", code);
		json_str(&j, "code_space", space_word(space));
		json_str(&j, "meaning", qlink_code_str(space, code));
	} else {
		json_null(&j, "code");
	}
	json_str(&j, "message", message ? message : ran ? qlink_fota_get_summary(f) : NULL);
	json_str(&j, "advice",
		 ran && qlink_fota_get_advice(f)[0] ? qlink_fota_get_advice(f) : NULL);
	json_int(&j, "reopens", qlink_fota_get_reopens(f));
	if (p->total) {
		json_obj_begin(&j, "upload");
		json_int(&j, "bytes", (long long)p->bytes);
		json_int(&j, "total", (long long)p->total);
		json_int(&j, "rate", p->rate);
		json_obj_end(&j);
	}
	json_arr_begin(&j, "findings");
	for (i = 0; i < qlink_fota_get_finding_count(f); i++) {
		const char *s = qlink_fota_get_finding(f, i, &l);

		json_obj_begin(&j, NULL);
		json_str(&j, "level", qlink_fota_level_name(l));
		json_str(&j, "text", s);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
}

static int parse_count(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || !(v == 0 || (v >= 5 && v <= 100)))
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_uns(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || *s == '-')
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static bool confirm(void)
{
	char ans[16];

	fprintf(stderr, "Proceed? [y/N] ");
	fflush(stderr);
	if (!fgets(ans, sizeof(ans), stdin))
		return false;
	return ans[0] == 'y' || ans[0] == 'Y';
}

/* What the options ask for beyond the job's own settings. */
struct fota_opts {
	bool dry, resume, yes, skip_current;
	const char *source, *expect;
	struct fota_manifest *manifest; /* --manifest, or NULL */
	struct fota_report report;
	enum report_format progress;
	int progress_fd;
};

/* parse_opts() and run_job(): the command goes on (else: its exit code) */
#define GO_ON (-1)

/* The options into @f and @o; GO_ON, or the exit code (help, usage). */
static int parse_opts(struct qlink_fota *f, struct fota_opts *o, int argc, char **argv)
{
	enum {
		O_MODE = 256,
		O_URC_DL,
		O_URC_UP,
		O_EXPECT,
		O_RATE,
		O_FLOW,
		O_DRY,
		O_RESUME,
		O_YES,
		O_LOG,
		O_CID,
		O_APN,
		O_PROTO,
		O_TO_DL,
		O_TO_UP,
		O_TO_BOOT,
		O_TO_ATTACH,
		O_MANIFEST,
		O_SKIP,
		O_PROGRESS,
		O_PROGRESS_FD,
		O_NO_HOST_CHECK,
	};
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, O_MODE },
		{ "urc-download", required_argument, NULL, O_URC_DL },
		{ "urc-update", required_argument, NULL, O_URC_UP },
		{ "expect-revision", required_argument, NULL, O_EXPECT },
		{ "rate", required_argument, NULL, O_RATE },
		{ "flow", required_argument, NULL, O_FLOW },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "resume", no_argument, NULL, O_RESUME },
		{ "yes", no_argument, NULL, O_YES },
		{ "log", required_argument, NULL, O_LOG },
		{ "cid", required_argument, NULL, O_CID },
		{ "apn", required_argument, NULL, O_APN },
		{ "protocol-mode", no_argument, NULL, O_PROTO },
		{ "download-timeout", required_argument, NULL, O_TO_DL },
		{ "update-timeout", required_argument, NULL, O_TO_UP },
		{ "boot-timeout", required_argument, NULL, O_TO_BOOT },
		{ "attach-timeout", required_argument, NULL, O_TO_ATTACH },
		{ "manifest", required_argument, NULL, O_MANIFEST },
		{ "skip-if-current", no_argument, NULL, O_SKIP },
		{ "progress", required_argument, NULL, O_PROGRESS },
		{ "progress-fd", required_argument, NULL, O_PROGRESS_FD },
		{ "no-host-check", no_argument, NULL, O_NO_HOST_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct qlink_fota_timeouts to = { 0 };
	const char *apn = NULL, *manifest = NULL;
	int c, dl = -1, up = -1;
	unsigned int rate, cid = 1, pfd = 1;
	char why[600];

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case O_MODE:
			if (!strcmp(optarg, "reboot"))
				qlink_fota_set_mode(f, QLINK_FOTA_MODE_REBOOT);
			else if (!strcmp(optarg, "immediate"))
				qlink_fota_set_mode(f, QLINK_FOTA_MODE_IMMEDIATE);
			else
				bad = 1;
			break;
		case O_URC_DL:
			bad = parse_count(optarg, &dl);
			break;
		case O_URC_UP:
			bad = parse_count(optarg, &up);
			break;
		case O_EXPECT:
			bad = qlink_fota_set_expected_revision(f, optarg);
			o->expect = optarg;
			break;
		case O_RATE:
			bad = parse_uns(optarg, 4000000, &rate);
			if (!bad)
				qlink_fota_set_rate(f, rate);
			break;
		case O_FLOW:
			bad = qlink_fota_set_flow(f,
						  !strcmp(optarg, "auto") ? QLINK_FOTA_FLOW_AUTO :
						  !strcmp(optarg, "rtscts") ?
									    QLINK_FOTA_FLOW_RTSCTS :
						  !strcmp(optarg, "none") ? QLINK_FOTA_FLOW_NONE :
									    -1);
			break;
		case O_DRY:
			o->dry = true;
			break;
		case O_RESUME:
			o->resume = true;
			break;
		case O_YES:
			o->yes = true;
			break;
		case O_LOG:
			bad = qlink_fota_set_log_file(f, optarg);
			break;
		case O_CID:
			bad = parse_uns(optarg, 15, &cid) || !cid;
			break;
		case O_APN:
			apn = optarg;
			break;
		case O_PROTO:
			qlink_fota_set_protocol_mode(f, true);
			break;
		case O_TO_DL:
			bad = parse_uns(optarg, 86400, &to.download_s) || !to.download_s;
			break;
		case O_TO_UP:
			bad = parse_uns(optarg, 86400, &to.update_s) || !to.update_s;
			break;
		case O_TO_BOOT:
			bad = parse_uns(optarg, 86400, &to.boot_s) || !to.boot_s;
			break;
		case O_TO_ATTACH:
			bad = parse_uns(optarg, 86400, &to.attach_s) || !to.attach_s;
			break;
		case O_MANIFEST:
			manifest = optarg;
			break;
		case O_NO_HOST_CHECK:
			qlink_fota_set_host_check(f, false);
			break;
		case O_SKIP:
			o->skip_current = true;
			break;
		case O_PROGRESS:
			bad = fota_report_parse(optarg, &o->progress);
			break;
		case O_PROGRESS_FD:
			bad = parse_uns(optarg, 1 << 20, &pfd) || fcntl((int)pfd, F_GETFD) < 0;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			bad = 1;
		}
		if (bad) {
			if (c != '?')
				fprintf(stderr, "qlink fota: bad value for --%s: %s\n",
					opts[c - O_MODE].name, optarg ? optarg : "");
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		o->source = argv[optind++];
	o->progress_fd = (int)pfd;
	if (manifest) {
		o->manifest = malloc(sizeof(*o->manifest));
		if (!o->manifest || fota_manifest_load(o->manifest, manifest, why, sizeof(why))) {
			fprintf(stderr, "qlink fota: %s\n", o->manifest ? why : "out of memory");
			return EXIT_USAGE;
		}
		if (!o->source && o->manifest->source[0])
			o->source = o->manifest->source;
		/* the manifest's target is the revision to expect */
		if (o->expect && strcmp(o->expect, o->manifest->to)) {
			fprintf(stderr,
				"qlink fota: --expect-revision %s, but the manifest's target "
				"is %s\n",
				o->expect, o->manifest->to);
			return EXIT_USAGE;
		}
		o->expect = o->manifest->to;
		qlink_fota_set_expected_revision(f, o->expect);
	}
	if (o->skip_current && !o->expect) {
		fprintf(stderr, "qlink fota: --skip-if-current needs the target: --expect-revision "
				"or --manifest\n");
		return EXIT_USAGE;
	}
	if (optind != argc || (!o->source && !o->resume) ||
	    qlink_fota_set_urc_counts(f, dl, up) < 0 || qlink_fota_set_pdp(f, (int)cid, apn) < 0) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	qlink_fota_set_timeouts(f, &to);
	if (o->source)
		qlink_fota_set_source(f, o->source);
	return GO_ON;
}

/* The port to reopen, the trace, the bar, and Ctrl-C: what the job reports through. */
static void watch_job(struct tool *t, struct qlink_fota *f, struct bar *bar, struct fota_opts *o)
{
	fota_report_open(&o->report, o->progress, o->progress_fd);
	bar->report = &o->report;
	qlink_fota_set_port(f, t->port, t->baud,
			    QLINK_TTY_EXCLUSIVE | (t->rtscts ? QLINK_TTY_RTSCTS : 0));
	if (t->verbose)
		qlink_fota_set_trace(f, tool_trace, NULL);
	qlink_fota_set_progress_cb(f, draw, bar);
	watched.f = f;
	watched.chan = t->chan;
	tool_catch_interrupts(cancel_job, &watched);
}

/*
 * The findings, the confirmation and the run (or the resume). GO_ON when
 * the job ran to an outcome to report, else the exit code.
 */
/* The module already runs the target: say so, and that nothing was sent. */
static int skip_current(struct tool *t, struct qlink_fota *f, struct fota_opts *o,
			const char *shown)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "the module already runs %s: nothing to do", o->expect);
	fota_report_end(&o->report, "current", msg);
	if (t->json)
		print_json(t, f, shown, o->dry, false, "current", msg);
	else
		fprintf(t->out, "%s; nothing was sent to the module\n", msg);
	return EXIT_CURRENT;
}

/* A refusal of the tool's own (the manifest's), logged by the job like its own. */
static int refuse(struct tool *t, struct qlink_fota *f, struct fota_opts *o, const char *shown,
		  const char *why)
{
	char msg[MANIFEST_SOURCE + 700];

	snprintf(msg, sizeof(msg), "refused by the manifest %s: %s", o->manifest->path, why);
	fota_report_end(&o->report, "refused", msg);
	if (t->json)
		print_json(t, f, shown, o->dry, false, "refused", msg);
	else
		fprintf(stderr, "qlink: %s; nothing was sent to the module\n", msg);
	return EXIT_REFUSED;
}

static int run_job(struct tool *t, struct qlink_fota *f, struct fota_opts *o, const char *shown)
{
	char why[600];
	size_t i;

	if (o->resume) {
		fprintf(stderr,
			"qlink: following the upgrade under way; keep the module powered\n");
		qlink_fota_resume(f, t->chan);
		return GO_ON;
	}
	if (qlink_fota_preflight(f, t->chan) < 0 && errno != EPERM) {
		fprintf(stderr, "qlink: %s\n", qlink_fota_get_error(f));
		fota_report_end(&o->report, "refused", qlink_fota_get_error(f));
		return tool_exit_code(qlink_chan_get_cancelled(t->chan) ? ECANCELED : errno,
				      TOOL_EXIT_CANCEL);
	}
	if (o->manifest) {
		switch (fota_manifest_check(o->manifest, qlink_fota_get_model(f),
					    qlink_fota_get_revision_before(f), o->source, why,
					    sizeof(why))) {
		case MANIFEST_REFUSE:
			return refuse(t, f, o, shown, why);
		case MANIFEST_CURRENT:
			if (o->skip_current)
				return skip_current(t, f, o, shown);
			break;
		default:
			break;
		}
	}
	/* the target reached is the job done, whatever else the pre-flight found */
	if (o->skip_current && !strcmp(qlink_fota_get_revision_before(f), o->expect))
		return skip_current(t, f, o, shown);
	if (!t->json)
		print_findings(t, f);
	for (i = 0; i < qlink_fota_get_finding_count(f); i++) {
		enum qlink_fota_level l;

		qlink_fota_get_finding(f, i, &l);
		if (l == QLINK_FOTA_REFUSE) {
			/* the job logs the refusal itself */
			qlink_fota_run(f, t->chan);
			fota_report_end(&o->report, "refused", qlink_fota_get_summary(f));
			if (t->json)
				print_json(t, f, shown, o->dry, true, NULL, NULL);
			else
				fprintf(stderr, "qlink: refused; nothing was sent to the module\n");
			return EXIT_REFUSED;
		}
	}
	if (o->dry) {
		fota_report_end(&o->report, "checked", "the upgrade would start; nothing was sent");
		if (t->json)
			print_json(t, f, shown, o->dry, false, NULL, NULL);
		else
			fprintf(t->out, "dry run: the upgrade would start; nothing was sent\n");
		return EXIT_OK;
	}
	fflush(t->out);
	fprintf(stderr, "qlink: keep the module powered until this ends: power lost during the "
			"update can leave it unable to boot (DFOTA guide, chapter 2)\n");
	if (!o->yes && isatty(STDIN_FILENO) && !confirm()) {
		fprintf(stderr, "qlink: not confirmed; nothing was sent\n");
		return EXIT_REFUSED;
	}
	qlink_fota_run(f, t->chan);
	return GO_ON;
}

/* How the job ended, and the exit code that says it. */
static int report(struct tool *t, struct qlink_fota *f, const char *shown, const struct bar *bar)
{
	int ret = exit_code(qlink_fota_get_outcome(f));

	fota_report_end(bar->report, qlink_fota_outcome_name(qlink_fota_get_outcome(f)),
			qlink_fota_get_summary(f));
	if (bar->on && bar->width)
		fputc('\n', stderr);
	if (t->json) {
		print_json(t, f, shown, false, true, NULL, NULL);
	} else {
		fprintf(ret ? stderr : t->out, "%s%s\n", ret ? "qlink: " : "",
			qlink_fota_get_summary(f));
		if (qlink_fota_get_advice(f)[0])
			fprintf(ret ? stderr : t->out, "%s%s\n", ret ? "qlink: " : "  ",
				qlink_fota_get_advice(f));
	}
	return ret;
}

int cmd_fota(struct tool *t, int argc, char **argv)
{
	struct bar bar = { .on = isatty(STDERR_FILENO) && !t->verbose };
	struct fota_opts o;
	char shown[1100] = "";
	struct qlink_fota *f;
	int ret;

	f = qlink_fota_new();
	if (!f) {
		fprintf(stderr, "qlink: out of memory\n");
		return EXIT_FAIL;
	}
	ret = parse_opts(f, &o, argc, argv);
	if (ret != GO_ON)
		goto out_free;
	if (o.source)
		qlink_redact(o.source, shown, sizeof(shown));
	/* ModemManager would probe the port in the middle of the job */
	t->inhibit_mm = true;
	ret = tool_open(t);
	if (ret)
		goto out_free;
	watch_job(t, f, &bar, &o);
	ret = run_job(t, f, &o, shown);
	if (ret == GO_ON)
		ret = report(t, f, shown, &bar);
	tool_release_interrupts();
	fota_report_close(&o.report);
	tool_close(t);
out_free:
	free(o.manifest);
	qlink_fota_free(f);
	return ret;
}
