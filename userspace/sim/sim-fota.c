// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * AT+QFOTADL: firmware upgrade as the DFOTA guide describes it.
 *
 * URL sources (ftp://, http://, https://) are downloaded for real with
 * libcurl; FILE:<length> is received over the port. The URCs are the
 * guide's, per source: FTPSTART/HTTPSTART/FILESTART, DOWNLOADING <n>,
 * FTPEND/HTTPEND/FILEEND <err>, then START, UPDATING <n>, END <err>,
 * and the module reboots and says RDY with its new revision.
 *
 * Per variant (chapter 4): 8 MB parts take MiniFOTA by URL only (at most
 * 128 characters, ending .mini_1; the module fetches .mini_2 itself), give
 * no download URCs and split UPDATING 60/40 between the two parts; 16 MB
 * EC200T takes full packages and FILE,2 (which answers 010003 and enters
 * an unpublished protocol mode); other 16 MB parts take one delta package.
 *
 * Flow control on FILE uploads: with AT+IFC=2,2 or AT+QCFG="usbifc",2,2
 * the module reads only as fast as its flash writes, so a fast host is
 * held back by the pty; without it the module drains a small FIFO at
 * about 15 KB/s and bytes arriving faster are lost, as on hardware.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fota-pkg.h"
#include "sim-core.h"
#include "sim-io.h"

#define ARGS struct sim *s, enum sim_kind k, struct sim_args *a, const char *raw
#define URC_DEFAULT 100
#define FIFO_BYTES 512	   /* the UART FIFO a FILE upload goes through */
#define NOR_RATE 15000	   /* bytes/s the flash takes without flow control */
#define FLASH_RATE 200000  /* bytes/s it takes when the host is held back */
#define FILE_IDLE_MS 5000  /* a FILE upload that stops for this long fails */
#define PROTO_MODE_MS 5000 /* FILE,2 protocol mode: silence that ends it */

enum src { SRC_FTP, SRC_HTTP, SRC_FILE };

static const char *const src_name[] = { "FTP", "HTTP", "FILE" };

struct fota {
	bool active;
	enum src src;
	char url[300];
	long mode;	     /* 0: reboot before updating, 1: update at once */
	long dl_max, up_max; /* progress URC counts */
	bool mini;	     /* 8 MB MiniFOTA */
	int mini_part;	     /* 1 or 2 */
	unsigned char *pkg;
	size_t len, want;
	int dl_sent; /* DOWNLOADING URCs sent */
	CURL *easy;
	/* FILE upload */
	uint64_t fifo_t;  /* when the FIFO level was last computed */
	double fifo;	  /* bytes in it */
	uint64_t file_t0; /* FILESTART: no byte of the package came before */
	uint64_t win_t0;  /* the window the bytes being read arrived over */
	double win_level; /* the FIFO's level when it began */
	size_t win_bytes; /* bytes read in it so far */
	size_t lost;
	int idle_timer;
	/* update */
	int up_sent;
	int up_from, up_to; /* percent range of this step (60/40 for MiniFOTA) */
	char target[64];
};

static struct fota f;
/* MiniFOTA's first part is in but the second was missing: download mode */
static bool stranded;

static unsigned int boot_ms(struct sim *s)
{
	const char *v = sim_fault(s, "boot-ms");

	return v ? (unsigned int)strtoul(v, NULL, 10) : 300;
}

static unsigned int update_ms(struct sim *s)
{
	const char *v = sim_fault(s, "update-ms");

	return v ? (unsigned int)strtoul(v, NULL, 10) : 1500;
}

static void fota_free(void)
{
	free(f.pkg);
	f.pkg = NULL;
	f.len = f.want = 0;
}

/* ------------------------------------------------------ persistence */

/*
 * An update that has started survives a reboot or a restart of qlink-sim
 * (--state): the module boots straight back into it, before RDY.
 */
static void pending_save(struct sim *s, int percent)
{
	char path[512];
	FILE *fp;

	if (!sim_state_dir(s))
		return;
	snprintf(path, sizeof(path), "%s/fota-pending", sim_state_dir(s));
	fp = fopen(path, "w");
	if (!fp)
		return;
	fprintf(fp, "%s %d %d %d %ld\n", f.target, percent, f.up_from, f.up_to, f.up_max);
	fclose(fp);
}

static void pending_clear(struct sim *s)
{
	char path[512];

	if (!sim_state_dir(s))
		return;
	snprintf(path, sizeof(path), "%s/fota-pending", sim_state_dir(s));
	unlink(path);
}

/* --------------------------------------------------------- the update */

static void update_step(struct sim *s, void *ctx);
static long update_steps(void);

static void finish(struct sim *s, int err)
{
	struct sim_state *st = sim_state(s);

	sim_line(s, "+QIND: \"FOTA\",\"END\",%d", err);
	if (!err) {
		snprintf(st->revision, sizeof(st->revision), "%s", f.target);
		sim_state_save(s);
	}
	pending_clear(s);
	f.active = false;
	fota_free();
	sim_log(s, "FOTA ended: %d, revision %s", err, st->revision);
	/* the module reboots into the (new) firmware */
	sim_reboot(s, boot_ms(s));
}

static void start_update(struct sim *s, int from, int to)
{
	f.up_from = from;
	f.up_to = to;
	f.up_sent = 0;
	pending_save(s, from);
	if (from == 0)
		sim_line(s, "+QIND: \"FOTA\",\"START\"");
	sim_timer_add(s, update_ms(s) / (unsigned int)update_steps(), update_step, NULL);
}

static void fetch_mini2(struct sim *s, void *ctx);

/* MiniFOTA reports each percent of its step once; the others up_max URCs. */
static long update_steps(void)
{
	if (f.mini)
		return f.up_to - f.up_from;
	return f.up_max ? f.up_max : 20;
}

static void update_step(struct sim *s, void *ctx)
{
	long n = update_steps();
	int percent;
	const char *rb = sim_fault(s, "reboot-update");

	(void)ctx;
	f.up_sent++;
	percent = f.up_from + (f.up_to - f.up_from) * f.up_sent / (int)n;
	if (rb && percent >= atoi(rb) && percent < f.up_to) {
		/* power lost mid-update: it resumes where it was after the boot */
		sim_log(s, "fault: reboot during the update at %d%%", percent);
		pending_save(s, percent);
		sim_fault_clear(s, "reboot-update"); /* once */
		sim_reboot(s, boot_ms(s));
		return;
	}
	if (sim_fault(s, "update-loop") && percent >= atoi(sim_fault(s, "update-loop")) &&
	    percent < f.up_to) {
		/* stuck: the same percent reported again and again, for ever */
		if (f.up_max)
			sim_line(s, "+QIND: \"FOTA\",\"UPDATING\",%d",
				 f.mini ? percent : (int)(f.up_sent * 100 / n));
		f.up_sent--;
		sim_timer_add(s, update_ms(s) / (unsigned int)n, update_step, NULL);
		return;
	}
	if (sim_fault(s, "update-fail") && percent >= atoi(sim_fault(s, "update-fail"))) {
		/* the flash write fails: END 504, and the old firmware stays */
		sim_log(s, "fault: the update fails at %d%%", percent);
		sim_fault_clear(s, "update-fail");
		finish(s, 504);
		return;
	}
	if (f.up_max)
		sim_line(s, "+QIND: \"FOTA\",\"UPDATING\",%d",
			 f.mini ? percent : (int)(f.up_sent * 100 / n));
	if (f.up_sent < n) {
		sim_timer_add(s, update_ms(s) / (unsigned int)n, update_step, NULL);
		return;
	}
	if (f.mini && f.mini_part == 1) {
		/* reboot into download mode and fetch the second part */
		snprintf(sim_state(s)->revision, sizeof(sim_state(s)->revision), "%s", f.target);
		sim_state_save(s);
		/*
		 * .mini_1 is applied: the update it started is over. A record
		 * left behind would have every boot apply it again, and a
		 * .mini_2 that cannot be fetched would reboot into it for ever.
		 */
		pending_clear(s);
		f.mini_part = 2;
		s->mode = SIM_MODE_OFF;
		sim_timer_add(s, boot_ms(s), fetch_mini2, NULL);
		return;
	}
	finish(s, 0);
}

/* The package is in: check it, then update (now, or after a reboot). */
static void apply(struct sim *s, void *ctx)
{
	const struct sim_model *m = sim_state(s)->model;
	const char *kind = f.mini	   ? (f.mini_part == 1 ? "mini_1" : "mini_2") :
			   m->full_package ? "full" :
					     "delta";
	char family[8];
	struct fota_pkg pkg;
	size_t body;
	int err;

	(void)ctx;
	s->mode = SIM_MODE_CMD; /* booted into the update */
	snprintf(family, sizeof(family), "%.6s", sim_state(s)->revision);
	err = fota_pkg_parse(f.pkg, f.len, &pkg, &body);
	if (!err)
		err = fota_pkg_check(&pkg, family, sim_state(s)->revision, kind);
	sim_log(s, "package %s: %d (%s -> %s, %s)", kind, err, pkg.source, pkg.target, pkg.kind);
	if (err) {
		if (!f.mini || f.mini_part == 1)
			sim_line(s, "+QIND: \"FOTA\",\"START\"");
		finish(s, err);
		return;
	}
	snprintf(f.target, sizeof(f.target), "%s", pkg.target);
	if (f.mini)
		start_update(s, f.mini_part == 1 ? 0 : 60, f.mini_part == 1 ? 60 : 100);
	else
		start_update(s, 0, 100);
}

/* Download done: report the end of the download, then update. */
static void downloaded(struct sim *s, int err)
{
	if (!f.mini)
		sim_line(s, "+QIND: \"FOTA\",\"%sEND\",%d", src_name[f.src], err);
	if (err) {
		if (f.mini) {
			/* stranded in download mode until the right packages are served */
			sim_log(s, "MiniFOTA part %d unavailable (%d): staying in download mode",
				f.mini_part, err);
			stranded = f.mini_part == 2;
			pending_clear(s);
			f.active = false;
			fota_free();
			sim_reboot(s, boot_ms(s));
			return;
		}
		f.active = false;
		fota_free();
		return;
	}
	if (f.mode == 0 || f.mini) {
		/* reboot first, into the update */
		s->mode = SIM_MODE_OFF;
		sim_timer_add(s, boot_ms(s), apply, NULL);
		return;
	}
	apply(s, NULL);
}

/* ------------------------------------------------------ URL sources */

static void dl_progress(struct sim *s)
{
	long n = f.dl_max;

	if (!n || f.mini || !f.want)
		return;
	while (f.dl_sent < n && f.len * (size_t)n >= (size_t)(f.dl_sent + 1) * f.want) {
		f.dl_sent++;
		sim_line(s, "+QIND: \"FOTA\",\"DOWNLOADING\",%d", f.dl_sent);
	}
}

static size_t url_write(char *p, size_t size, size_t n, void *user)
{
	struct sim *s = user;
	size_t len = size * n;
	unsigned char *b;
	const char *rb = sim_fault(s, "reboot-download");
	curl_off_t total = -1;

	b = realloc(f.pkg, f.len + len);
	if (!b)
		return 0;
	f.pkg = b;
	memcpy(f.pkg + f.len, p, len);
	f.len += len;
	curl_easy_getinfo(f.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
	if (total > 0)
		f.want = (size_t)total;
	if (rb && f.want && f.len * 100 >= f.want * (size_t)atoi(rb)) {
		/* power lost mid-download: the download is gone, the firmware untouched */
		sim_log(s, "fault: reboot during the download at %s%%", rb);
		sim_fault_clear(s, "reboot-download");
		f.active = false;
		return 0;
	}
	dl_progress(s);
	return len;
}

static int http_err(CURLcode rc, long status)
{
	switch (rc) {
	case CURLE_OK:
		return status >= 400 ? (status == 404 ? 711 : 723) : 0;
	case CURLE_COULDNT_RESOLVE_HOST:
		return 714;
	case CURLE_COULDNT_CONNECT:
		return 716;
	case CURLE_OPERATION_TIMEDOUT:
		return 722;
	case CURLE_RECV_ERROR:
		return 717;
	case CURLE_URL_MALFORMAT:
		return 711;
	case CURLE_HTTP_RETURNED_ERROR:
		return status == 404 ? 711 : 723;
	default:
		return 701;
	}
}

static void url_done(struct sim *s, CURL *e, CURLcode rc, void *ctx)
{
	long status = 0;
	int err;

	(void)ctx;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(e);
	f.easy = NULL;
	if (!f.active) {
		/* a reboot fault cut it short */
		fota_free();
		sim_reboot(s, boot_ms(s));
		return;
	}
	err = f.src == SRC_HTTP ? http_err(rc, status) : sim_ftp_err(rc, status);
	sim_log(s, "FOTA download: curl %d (%s), status %ld -> %d", rc, curl_easy_strerror(rc),
		status, err);
	if (!err && f.dl_max && !f.mini) {
		f.want = f.len;
		dl_progress(s);
	}
	downloaded(s, err);
}

static void fetch(struct sim *s, const char *url)
{
	char u[300];
	size_t i;
	CURL *e = curl_easy_init();

	/* schemes are case-insensitive: the guide writes FTP:// */
	snprintf(u, sizeof(u), "%s", url);
	for (i = 0; u[i] && u[i] != ':'; i++)
		u[i] = (char)tolower((unsigned char)u[i]);
	fota_free();
	f.dl_sent = 0;
	f.easy = e;
	curl_easy_setopt(e, CURLOPT_URL, u);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, url_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* an error page is not a package: no body, no DOWNLOADING for it */
	curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 60L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	/* the module does not check the FOTA server's certificate */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_SSLVERSION,
			 (long)(CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_2));
	sim_curl_start(s, e, url_done, NULL);
}

static void fetch_mini2(struct sim *s, void *ctx)
{
	char url[300];
	size_t n = strlen(f.url);

	(void)ctx;
	s->mode = SIM_MODE_CMD; /* download mode answers AT commands */
	/* same base name, .mini_2: the module derives it itself */
	snprintf(url, sizeof(url), "%.*s2", (int)(n - 1), f.url);
	fetch(s, url);
}

/* ------------------------------------------------------------- FILE */

/* Hardware flow control, on the UART (AT+IFC) or the USB AT port (usbifc). */
static bool rtscts(struct sim *s)
{
	struct sim_state *st = sim_state(s);

	return (st->ifc_r == 2 && st->ifc_t == 2) || (st->usbifc_r == 2 && st->usbifc_t == 2);
}

static void file_fail(struct sim *s, void *ctx)
{
	(void)ctx;
	f.idle_timer = 0;
	sim_log(s, "FILE upload stalled at %zu of %zu bytes (%zu lost)", f.len, f.want, f.lost);
	sim_data_leave(s);
	downloaded(s, 500);
}

static void file_in(struct sim *s, const unsigned char *buf, size_t len, void *ctx)
{
	bool flow = rtscts(s);
	uint64_t now = sim_now_ms();
	size_t take = len;

	(void)ctx;
	if (!flow) {
		/*
		 * The FIFO drains at the flash's pace; what overflows is lost.
		 * The host is judged by what it could have sent: the bytes
		 * read since the pty was last seen empty came over the wire
		 * spread over that time, however late the simulator got to
		 * them (a stall of its own, or the pace it reads at). Only a
		 * host that sent faster than the drain over the whole window
		 * overflows the FIFO.
		 */
		uint64_t since = s->in_empty_t > f.file_t0 ? s->in_empty_t : f.file_t0;
		double level;

		if (since != f.win_t0) {
			/* a new window: what was in the FIFO drained until it began */
			level = f.fifo - (since > f.fifo_t ? (double)(since - f.fifo_t) : 0) *
						 NOR_RATE / 1000.0;
			f.win_level = level < 0 ? 0 : level;
			f.win_t0 = since;
			f.win_bytes = 0;
		}
		f.win_bytes += len;
		level = f.win_level + (double)f.win_bytes -
			(double)(now - f.win_t0) * NOR_RATE / 1000.0;
		if (level < 0)
			level = 0;
		if (level > FIFO_BYTES) {
			double over = level - FIFO_BYTES;

			take = over >= (double)len ? 0 : len - (size_t)over;
			f.lost += len - take;
			level = FIFO_BYTES;
			/* judged from here on: the FIFO is full now */
			f.win_t0 = now;
			f.win_level = level;
			f.win_bytes = 0;
		}
		f.fifo = level;
		f.fifo_t = now;
	}
	if (take > f.want - f.len)
		take = f.want - f.len;
	memcpy(f.pkg + f.len, buf, take);
	f.len += take;
	dl_progress(s);
	sim_timer_cancel(s, f.idle_timer);
	f.idle_timer = 0;
	if (f.len == f.want) {
		sim_data_leave(s);
		downloaded(s, 0);
		return;
	}
	f.idle_timer = sim_timer_add(s, FILE_IDLE_MS, file_fail, NULL);
}

static void file_end(struct sim *s, enum sim_data_end why, void *ctx)
{
	(void)ctx;
	if (why == SIM_DATA_ESCAPE) {
		sim_timer_cancel(s, f.idle_timer);
		downloaded(s, 500);
	}
}

static const struct sim_data_ops file_ops = { .in = file_in, .end = file_end };

unsigned int sim_fota_read_rate(struct sim *s)
{
	const char *v;

	if (!f.active || f.src != SRC_FILE || !sim_in_data_mode(s))
		return 0;
	if (!rtscts(s))
		return 0;
	/* flash-rate=N: a faster flash, for benchmarks of the host's memory */
	v = sim_fault(s, "flash-rate");
	return v ? (unsigned int)strtoul(v, NULL, 10) : FLASH_RATE;
}

/* --------------------------------------------------------- FILE,2 */

static void proto_end(struct sim *s, void *ctx)
{
	(void)ctx;
	sim_log(s, "protocol download mode: nothing the simulator can speak; rebooting");
	sim_data_leave(s);
	f.active = false;
	sim_reboot(s, boot_ms(s));
}

static const struct sim_data_ops proto_ops = { 0 };

static void download_mode(struct sim *s, void *ctx)
{
	(void)ctx;
	s->mode = SIM_MODE_CMD;
}

/* ----------------------------------------------------------- command */

static void cmd_qfotadl(ARGS)
{
	struct sim_state *st = sim_state(s);
	bool eight = sim_flash_mb(s) == 8;
	const char *url = sim_arg_str(a, 0);
	long mode = 1, dl = URC_DEFAULT, up = URC_DEFAULT, fmode = 0, flen;
	size_t max = eight ? 128 : 255;

	if (k == SIM_TEST) {
		sim_line(s, "+QFOTADL: <url>,(0,1),(0,5-100),(0,5-100)");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !url || !*url || strlen(url) > max || f.active) {
		sim_error(s);
		return;
	}
	memset(&f, 0, sizeof(f));
	if (!strncasecmp(url, "FILE:", 5)) {
		char *end;

		flen = strtol(url + 5, &end, 10);
		/* 128 MB bounds the simulator's own memory (it holds the
		 * package); the guide names no limit, a module's flash is the
		 * real one, and bench/rss needs 100 MB to show qlink's flat */
		if (*end || flen <= 0 || flen > (128L << 20) || eight ||
		    (a->n > 1 && !sim_arg_long(a, 1, 0, 2, &fmode))) {
			sim_error(s); /* 8 MB parts take no FILE (chapter 4.4) */
			return;
		}
		if (a->n == 2 && fmode == 2) {
			if (!st->model->full_package) {
				sim_error(s);
				return;
			}
			/* protocol download mode: its wire protocol is unpublished */
			sim_line(s, "010003");
			f.active = true;
			sim_data_out_begin(s, &proto_ops, NULL);
			sim_timer_add(s, PROTO_MODE_MS, proto_end, NULL);
			return;
		}
		mode = a->n > 1 ? fmode : 1;
		f.src = SRC_FILE;
		f.want = (size_t)flen;
	} else if (!strncasecmp(url, "ftp://", 6)) {
		f.src = SRC_FTP;
	} else if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) {
		f.src = SRC_HTTP;
	} else {
		sim_error(s);
		return;
	}
	if (f.src != SRC_FILE &&
	    ((a->n > 1 && !sim_arg_long(a, 1, 0, 1, &mode)) ||
	     (a->n > 2 && (!sim_arg_long(a, 2, 0, 100, &dl) || (dl && dl < 5))) ||
	     (a->n > 3 && (!sim_arg_long(a, 3, 0, 100, &up) || (up && up < 5))) || a->n > 4)) {
		sim_error(s);
		return;
	}
	if (f.src == SRC_FILE && a->n > 2 &&
	    ((!sim_arg_long(a, 2, 0, 100, &dl) || (dl && dl < 5)) ||
	     (a->n > 3 && (!sim_arg_long(a, 3, 0, 100, &up) || (up && up < 5))) || a->n > 4)) {
		sim_error(s);
		return;
	}
	f.active = true;
	f.mode = mode;
	snprintf(f.url, sizeof(f.url), "%s", url);
	/* only the EC200T lets the host choose the update URC count (4.2) */
	f.up_max = st->model->full_package ? up : URC_DEFAULT;
	f.dl_max = eight ? 0 : dl;
	if (eight) {
		size_t n = strlen(url);

		f.mini = true;
		f.mini_part = 1;
		f.up_max = URC_DEFAULT;
		if (n < 7 || strcmp(url + n - 7, ".mini_1"))
			sim_log(s,
				"MiniFOTA URL does not end in .mini_1: the package will not fit");
	}
	sim_ok(s);
	if (f.src == SRC_FILE) {
		f.pkg = malloc(f.want);
		if (!f.pkg) {
			f.active = false;
			return;
		}
		f.fifo_t = f.file_t0 = sim_now_ms();
		f.fifo = 0;
		f.win_t0 = 0;
		sim_line(s, "+QIND: \"FOTA\",\"FILESTART\"");
		/* the package follows on the port, raw, with no CONNECT */
		sim_data_enter_quiet(s, f.want, &file_ops, NULL);
		f.idle_timer = sim_timer_add(s, FILE_IDLE_MS, file_fail, NULL);
		return;
	}
	if (!sim_pdp_active(s, st->fota_cid)) {
		if (!eight)
			sim_line(s, "+QIND: \"FOTA\",\"%sSTART\"", src_name[f.src]);
		downloaded(s, f.src == SRC_FTP ? 605 : 708);
		return;
	}
	if (eight && stranded) {
		/* still in download mode: what is missing is the second part */
		stranded = false;
		f.mini_part = 2;
		fetch_mini2(s, NULL);
		return;
	}
	if (eight) {
		/* the module reboots into download mode first, silently */
		s->mode = SIM_MODE_OFF;
		sim_timer_add(s, boot_ms(s), download_mode, NULL);
	} else {
		sim_line(s, "+QIND: \"FOTA\",\"%sSTART\"", src_name[f.src]);
	}
	fetch(s, f.url);
}

bool sim_fota_resume(struct sim *s)
{
	char path[512];
	int percent = 0, from = 0, to = 100;
	long up = URC_DEFAULT;
	FILE *fp;

	if (!sim_state_dir(s))
		return false;
	snprintf(path, sizeof(path), "%s/fota-pending", sim_state_dir(s));
	fp = fopen(path, "r");
	if (!fp)
		return false;
	memset(&f, 0, sizeof(f));
	if (fscanf(fp, "%63s %d %d %d %ld", f.target, &percent, &from, &to, &up) != 5) {
		fclose(fp);
		unlink(path);
		return false;
	}
	fclose(fp);
	sim_log(s, "resuming the update to %s at %d%%", f.target, percent);
	f.active = true;
	f.up_max = up;
	f.mini = to == 60 || from == 60;
	f.mini_part = from == 60 ? 2 : 1;
	s->mode = SIM_MODE_CMD;
	f.up_from = from;
	f.up_to = to;
	f.up_sent = (int)((percent - from) * update_steps() / (to - from));
	sim_timer_add(s, update_ms(s) / (unsigned int)update_steps(), update_step, NULL);
	return true;
}

const struct sim_cmd sim_fota_cmds[] = {
	{ "+QFOTADL", cmd_qfotadl },
};

const size_t sim_fota_ncmds = sizeof(sim_fota_cmds) / sizeof(sim_fota_cmds[0]);
