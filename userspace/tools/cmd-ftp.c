// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink ftp: the module's FTP(S) client from the shell, in the manner of
 * curl and lftp.
 *
 *   qlink -p /dev/ttyUSB2 ftp --url ftp://user@host/dir/ get fw.bin
 *
 * The password comes from the URL, QLINK_FTP_PASSWORD or ~/.netrc and is
 * never printed: messages show the URL without it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "tool.h"

struct url {
	bool ftps;
	char user[256], pass[256], host[256], path[256];
	unsigned int port;
	bool has_pass;
};

struct ftp_opts {
	struct url url;
	int ssl; /* -1: from the scheme */
	int context;
	const char *apn;
	const char *via;   /* stage get/put in this module file */
	const char *netrc; /* --netrc-file, else ~/.netrc */
	bool ascii, active, cont, append;
	size_t chunk;
	unsigned int rsptimeout;
	const char *sslopt[8];
	int n_sslopt;
};

/* SIGINT, SIGTERM: the transfer stops at its chunk's end (tool_catch_interrupts()) */
static void cancel_transfer(void *ftp)
{
	qlink_ftp_cancel(ftp);
}

/* the library's URL parser, so a URL reads here as the masking reads it */
static int parse_url(const char *s, struct url *u)
{
	struct qlink_url *p = qlink_url_parse(s);
	const char *scheme, *pass;
	int ret = -1;

	memset(u, 0, sizeof(*u));
	if (!p)
		return -1;
	scheme = qlink_url_get_scheme(p);
	pass = qlink_url_get_password(p);
	u->ftps = !strcmp(scheme, "ftps");
	u->port = qlink_url_get_port(p);
	u->has_pass = pass != NULL;
	if ((u->ftps || !strcmp(scheme, "ftp")) &&
	    strlen(qlink_url_get_user(p)) < sizeof(u->user) &&
	    (!pass || strlen(pass) < sizeof(u->pass)) &&
	    strlen(qlink_url_get_host(p)) < sizeof(u->host) &&
	    strlen(qlink_url_get_path(p)) < sizeof(u->path) &&
	    (!*qlink_url_get_path(p) || *qlink_url_get_path(p) == '/')) {
		snprintf(u->user, sizeof(u->user), "%s", qlink_url_get_user(p));
		snprintf(u->pass, sizeof(u->pass), "%s", pass ? pass : "");
		snprintf(u->host, sizeof(u->host), "%s", qlink_url_get_host(p));
		snprintf(u->path, sizeof(u->path), "%s", qlink_url_get_path(p));
		ret = 0;
	}
	qlink_url_free(p);
	return ret;
}

/*
 * One netrc token: a run of non-blanks, or a "quoted string" in which \\
 * takes the next character as it is (ftp(1)'s and curl's reading), so a
 * password may hold blanks and quotes. Returns false at the end.
 */
static bool netrc_token(FILE *f, char *tok, size_t len)
{
	size_t n = 0;
	int c;

	do
		c = getc(f);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',');
	if (c == EOF)
		return false;
	if (c == '"') {
		while ((c = getc(f)) != EOF && c != '"') {
			if (c == '\\' && (c = getc(f)) == EOF)
				break;
			if (n + 1 < len)
				tok[n++] = (char)c;
		}
	} else {
		do {
			if (n + 1 < len)
				tok[n++] = (char)c;
		} while ((c = getc(f)) != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r');
	}
	tok[n] = '\0';
	return true;
}

/* macdef NAME: the macro's lines up to an empty one are not tokens */
static void netrc_skip_macro(FILE *f)
{
	int c, prev = '\n';

	while ((c = getc(f)) != EOF) {
		if (c == '\n' && prev == '\n')
			return;
		if (c != '\r')
			prev = c;
	}
}

/*
 * ~/.netrc (or --netrc-file): "machine HOST login USER password PASS", or
 * "default ...". A password in a file that others can read is no secret:
 * refused, as ftp(1) refuses it. Returns -1 after saying so, else 0; a
 * --netrc-file that cannot be read is an error too.
 */
static int netrc_lookup(struct url *u, const char *file)
{
	const char *home = getenv("HOME");
	char path[512], tok[256], login[256] = "", pass[256] = "";
	bool match = false, found = false;
	struct stat st;
	FILE *f;

	if (!file && !home)
		return 0;
	snprintf(path, sizeof(path), "%s%s", file ? file : home, file ? "" : "/.netrc");
	f = fopen(path, "r");
	if (!f && file) {
		fprintf(stderr, "qlink: ftp: --netrc-file %s: %s\n", file, strerror(errno));
		return -1;
	}
	if (!f)
		return 0;
	while (!found && netrc_token(f, tok, sizeof(tok))) {
		if (!strcmp(tok, "machine") || !strcmp(tok, "default")) {
			if (match && pass[0])
				found = true;
			else if (!strcmp(tok, "default"))
				match = true;
			else
				match = netrc_token(f, tok, sizeof(tok)) && !strcmp(tok, u->host);
			if (!found)
				login[0] = pass[0] = '\0';
		} else if (!strcmp(tok, "login") && netrc_token(f, tok, sizeof(tok))) {
			if (match)
				snprintf(login, sizeof(login), "%s", tok);
		} else if (!strcmp(tok, "password") && netrc_token(f, tok, sizeof(tok))) {
			if (match)
				snprintf(pass, sizeof(pass), "%s", tok);
		} else if (!strcmp(tok, "macdef")) {
			netrc_skip_macro(f);
		}
	}
	explicit_bzero(tok, sizeof(tok));
	if (match && pass[0] &&
	    (fstat(fileno(f), &st) < 0 || (st.st_mode & 077) || st.st_uid != geteuid())) {
		fclose(f);
		explicit_bzero(pass, sizeof(pass));
		fprintf(stderr,
			"qlink: ftp: %s holds a password but is %s (mode %04o): chmod 600 %s, "
			"or give the password in QLINK_FTP_PASSWORD (ftp(1) refuses such a "
			"file too)\n",
			path, st.st_uid != geteuid() ? "not yours" : "readable by others",
			(unsigned int)(st.st_mode & 07777), path);
		return -1;
	}
	fclose(f);
	if (match && pass[0] && (!u->user[0] || !strcmp(login, u->user))) {
		if (!u->user[0])
			snprintf(u->user, sizeof(u->user), "%s", login);
		snprintf(u->pass, sizeof(u->pass), "%s", pass);
		u->has_pass = true;
	}
	explicit_bzero(pass, sizeof(pass));
	return 0;
}

/* The URL as it may be shown: never with the password. */
static void url_show(const struct url *u, char *buf, size_t len)
{
	char port[12] = "";

	if (u->port)
		snprintf(port, sizeof(port), ":%u", u->port);
	snprintf(buf, len, "%s://%s%s%s%s%s%s%s", u->ftps ? "ftps" : "ftp", u->user,
		 u->user[0] ? "@" : "", strchr(u->host, ':') ? "[" : "", u->host,
		 strchr(u->host, ':') ? "]" : "", port, u->path[0] ? u->path : "/");
}

struct bar {
	bool on;
	uint64_t last;
};

static void human(double v, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB" };
	int i = 0;

	while (v >= 1000 && i < 3) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, i ? "%.1f %s" : "%.0f %s", v, unit[i]);
}

static int on_progress(const struct qlink_ftp_progress *p, void *user)
{
	struct bar *b = user;
	uint64_t now = tool_now_ms();
	char done[16], total[16], rate[16], eta[48] = "--:--";

	if (!b->on || (now - b->last < 200 && (p->total < 0 || p->done < (uint64_t)p->total)))
		return 0;
	b->last = now;
	human((double)p->done, done, sizeof(done));
	human(p->total < 0 ? 0 : (double)p->total, total, sizeof(total));
	human(p->rate, rate, sizeof(rate));
	if (p->rate > 0 && p->total >= 0) {
		unsigned long s = (unsigned long)((double)((uint64_t)p->total - p->done) / p->rate);

		snprintf(eta, sizeof(eta), "%lu:%02lu", s / 60, s % 60);
	}
	fprintf(stderr, "\r%3d%%  %s / %s  %s/s  ETA %s%s   ",
		p->total > 0 ? (int)(p->done * 100 / (uint64_t)p->total) : 100, done, total, rate,
		eta, p->retries ? "  (resumed)" : "");
	return 0;
}

static void bar_end(struct bar *b)
{
	if (b->on && b->last)
		fputc('\n', stderr);
}

static const char *type_str(enum qlink_ftp_type t)
{
	static const char *const s[] = { "file", "dir", "cdir", "pdir", "link", "other" };

	return t <= QLINK_FTP_OTHER ? s[t] : "other";
}

static void print_entries(struct tool *t, const struct qlink_ftp_entry *e, size_t n, struct json *j)
{
	size_t i;

	if (t->json)
		json_arr_begin(j, "entries");
	for (i = 0; i < n; i++) {
		char when[32] = "-";
		struct tm tm;

		if (e[i].type == QLINK_FTP_CDIR || e[i].type == QLINK_FTP_PDIR)
			continue;
		if (e[i].mtime != (time_t)-1 && gmtime_r(&e[i].mtime, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		if (t->json) {
			json_obj_begin(j, NULL);
			json_str(j, "name", e[i].name);
			json_str(j, "type", type_str(e[i].type));
			if (e[i].size >= 0)
				json_int(j, "size", e[i].size);
			else
				json_null(j, "size");
			if (e[i].mtime != (time_t)-1)
				json_int(j, "modify", (long long)e[i].mtime);
			else
				json_null(j, "modify");
			json_obj_end(j);
		} else {
			fprintf(t->out, "%-5s %12lld  %s  %s\n", type_str(e[i].type),
				(long long)e[i].size, when, e[i].name);
		}
	}
	if (t->json)
		json_arr_end(j);
}

static bool no_mlsd(struct qlink_ftp *ftp)
{
	int err, proto;

	qlink_ftp_get_codes(ftp, &err, &proto);
	return proto == 500 || proto == 502 || err == 620 || err == 622;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s && s[1] ? s + 1 : p;
}

/*
 * The operations, one handler each: @argv is the command and its operands
 * (@argc of them, checked against the table), @j the JSON object their
 * result goes in. Each returns 0, or -1 with errno and the reason on @ftp.
 */
static int op_pwd(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		  char **argv, struct json *j)
{
	char dir[512];
	int rc = qlink_ftp_pwd(ftp, dir, sizeof(dir));

	if (!rc && t->json)
		json_str(j, "directory", dir);
	else if (!rc)
		fprintf(t->out, "%s\n", dir);
	return rc;
}

static int op_size(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		   char **argv, struct json *j)
{
	uint64_t size;
	int rc = qlink_ftp_size(ftp, argv[1], &size);

	if (!rc && t->json)
		json_int(j, "size", (long long)size);
	else if (!rc)
		fprintf(t->out, "%llu\n", (unsigned long long)size);
	return rc;
}

static int op_mdtm(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		   char **argv, struct json *j)
{
	time_t when;
	int rc = qlink_ftp_mdtm(ftp, argv[1], &when);

	if (!rc && t->json) {
		json_int(j, "modify", (long long)when);
	} else if (!rc) {
		char buf[32];
		struct tm tm;

		gmtime_r(&when, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(t->out, "%s\n", buf);
	}
	return rc;
}

static int op_rm(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		 char **argv, struct json *j)
{
	return qlink_ftp_delete(ftp, argv[1]);
}

static int op_mkdir(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		    char **argv, struct json *j)
{
	return qlink_ftp_mkdir(ftp, argv[1]);
}

static int op_rmdir(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		    char **argv, struct json *j)
{
	return qlink_ftp_rmdir(ftp, argv[1]);
}

static int op_mv(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		 char **argv, struct json *j)
{
	return qlink_ftp_rename(ftp, argv[1], argv[2]);
}

/*
 * A listing in --json: an array of its lines (CR LF or LF ended, the last
 * perhaps not), each a name for NLST or the server's line for LIST.
 */
static void json_lines(struct json *j, const char *key, char *text, size_t len)
{
	size_t i = 0;

	json_arr_begin(j, key);
	while (i < len) {
		size_t n = 0;

		while (i + n < len && text[i + n] != '\n')
			n++;
		if (i + n < len)
			text[i + n] = '\0';
		else
			text[len] = '\0'; /* the library leaves room for it (ftp.h) */
		if (n && text[i + n - 1] == '\r')
			text[i + n - 1] = '\0';
		if (text[i])
			json_str(j, NULL, text + i);
		i += n + 1;
	}
	json_arr_end(j);
}

/* the server's LIST (or NLST, @names), as it sends it */
static int print_listing(struct tool *t, struct qlink_ftp *ftp, const char *dir, bool names,
			 struct json *j)
{
	size_t len;
	char *text;
	int rc = qlink_ftp_list(ftp, dir, names, &text, &len);

	if (!rc) {
		if (t->json)
			json_lines(j, names ? "names" : "lines", text, len);
		else
			fwrite(text, 1, len, t->out);
		free(text);
	}
	return rc;
}

static int op_ls(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		 char **argv, struct json *j)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	struct qlink_ftp_entry *e;
	size_t n;

	if (qlink_ftp_mlsd(ftp, dir, &e, &n) == 0) {
		print_entries(t, e, n, j);
		qlink_ftp_entries_free(e, n);
		return 0;
	}
	if (!no_mlsd(ftp))
		return -1;
	/* no MLSD on this server: its LIST */
	return print_listing(t, ftp, dir, false, j);
}

static int op_nlst(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		   char **argv, struct json *j)
{
	return print_listing(t, ftp, argc > 1 ? argv[1] : ".", true, j);
}

/* copy @from to @to until EOF; 0, or -1 with errno */
static int copy_fd(int from, int to)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) != 0) {
		ssize_t done = 0, w;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		while (done < n) {
			w = write(to, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			done += w;
		}
	}
	return 0;
}

/*
 * "-" as LOCAL: the transfer goes through a private temporary file (the
 * library resumes and checks sizes on a real file), which stdin fills
 * before a put and which goes to stdout after a get.
 */
static int stdio_temp(char *path, size_t len, bool fill)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/qlink-ftp-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (fill && copy_fd(STDIN_FILENO, fd) < 0) {
		int err = errno;

		close(fd);
		unlink(path);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

static int transfer(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, bool put,
		    int argc, char **argv, struct json *j)
{
	struct bar b = { .on = !t->json && isatty(STDERR_FILENO) };
	const char *from = argv[1];
	const char *to = argc > 2 ? argv[2] : base_name(from);
	const char *local = put ? from : to;
	char temp[512] = "", into[1024];
	uint64_t t0 = tool_now_ms(), size = 0;
	struct stat dst;
	int rc;

	if (!strcmp(local, "-")) {
		if (stdio_temp(temp, sizeof(temp), put) < 0) {
			fprintf(stderr, "qlink: ftp: %s: %s\n", put ? "stdin" : "a temporary file",
				strerror(errno));
			return -2;
		}
		if (put)
			from = temp;
		else
			to = temp;
	} else if (!put && !stat(to, &dst) && S_ISDIR(dst.st_mode)) {
		/* a directory takes the file under its remote name, as cp(1) does */
		snprintf(into, sizeof(into), "%s%s%s", to, to[strlen(to) - 1] == '/' ? "" : "/",
			 base_name(from));
		to = into;
	}

	qlink_ftp_set_progress_cb(ftp, on_progress, &b);
	if (!put && o->via)
		rc = qlink_ftp_get_via(ftp, from, to, o->via);
	else if (!put)
		rc = qlink_ftp_get(ftp, from, to, o->cont ? QLINK_FTP_CONTINUE : 0);
	else if (o->via)
		rc = qlink_ftp_put_via(ftp, from, to, o->via);
	else
		rc = qlink_ftp_put(ftp, from, to, o->append ? QLINK_FTP_APPEND : 0);
	bar_end(&b);
	if (!rc && !o->ascii) {
		struct stat st;

		/*
		 * The library checked the server's size against the host
		 * file's; only an append needs the server asked.
		 */
		if (put && o->append)
			qlink_ftp_size(ftp, to, &size);
		else if (!stat(put ? from : to, &st))
			size = (uint64_t)st.st_size;
	}
	if (!rc && t->json) {
		double secs = (double)(tool_now_ms() - t0) / 1000.0;

		json_str(j, "from", put && temp[0] ? "-" : from);
		json_str(j, "to", !put && temp[0] ? "-" : to);
		json_int(j, "bytes", (long long)size);
		json_int(j, "milliseconds", (long long)(tool_now_ms() - t0));
		json_int(j, "bytes_per_second", secs > 0 ? (long long)(size / secs) : 0);
	} else if (!rc && t->verbose) {
		fprintf(stderr, "-- %s: %llu bytes\n", to, (unsigned long long)size);
	}
	if (temp[0] && !put && !rc) {
		FILE *f = fopen(temp, "r");

		fflush(t->out);
		if (!f || copy_fd(fileno(f), STDOUT_FILENO) < 0) {
			fprintf(stderr, "qlink: ftp: stdout: %s\n", strerror(errno));
			rc = -2;
		}
		if (f)
			fclose(f);
	}
	if (temp[0])
		unlink(temp);
	return rc;
}

static int op_get(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		  char **argv, struct json *j)
{
	return transfer(t, ftp, o, false, argc, argv, j);
}

static int op_put(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		  char **argv, struct json *j)
{
	return transfer(t, ftp, o, true, argc, argv, j);
}

static int op_stat(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		   char **argv, struct json *j)
{
	enum qlink_ftp_state st;
	int rc = qlink_ftp_stat(ftp, &st);

	if (!rc && t->json)
		json_str(j, "state", qlink_ftp_state_name(st));
	else if (!rc)
		fprintf(t->out, "%s\n", qlink_ftp_state_name(st));
	return rc;
}

/* the commands; their help is in cmd-help.c */
static const struct ftp_op {
	const char *name;
	int (*run)(struct tool *t, struct qlink_ftp *ftp, const struct ftp_opts *o, int argc,
		   char **argv, struct json *j);
	int min, max; /* operands */
	bool login;   /* stat asks the module only */
} ops[] = {
	{ "ls", op_ls, 0, 1, true },	   { "nlst", op_nlst, 0, 1, true },
	{ "get", op_get, 1, 2, true },	   { "put", op_put, 1, 2, true },
	{ "rm", op_rm, 1, 1, true },	   { "mkdir", op_mkdir, 1, 1, true },
	{ "rmdir", op_rmdir, 1, 1, true }, { "mv", op_mv, 2, 2, true },
	{ "size", op_size, 1, 1, true },   { "mdtm", op_mdtm, 1, 1, true },
	{ "pwd", op_pwd, 0, 0, true },	   { "stat", op_stat, 0, 0, false },
};

/* the one help text of qlink ftp (cmd-help.c), for -h and a usage error alike */
static void ftp_usage(FILE *f)
{
	cmd_help_print("ftp", f);
}

static int configure(struct qlink_ftp *ftp, struct ftp_opts *o)
{
	const char *env = getenv("QLINK_FTP_PASSWORD");
	int ssl = o->ssl >= 0 ? o->ssl : o->url.ftps ? QLINK_FTP_SSL_IMPLICIT : 0;
	int i;

	if (!o->url.has_pass && env) {
		snprintf(o->url.pass, sizeof(o->url.pass), "%s", env);
		o->url.has_pass = true;
	}
	if (!o->url.has_pass && netrc_lookup(&o->url, o->netrc) < 0)
		return -1;
	if (o->url.user[0] && !o->url.has_pass) {
		fprintf(stderr,
			"qlink: ftp: no password for %s@%s: give it in QLINK_FTP_PASSWORD "
			"or %s\n",
			o->url.user, o->url.host, o->netrc ? o->netrc : "~/.netrc");
		return -1;
	}
	qlink_ftp_set_ascii(ftp, o->ascii);
	if ((o->url.user[0] && qlink_ftp_set_account(ftp, o->url.user, o->url.pass)) ||
	    qlink_ftp_set_ssl(ftp, ssl, 1) || qlink_ftp_set_active(ftp, o->active) ||
	    (o->context && qlink_ftp_set_context(ftp, o->context)) ||
	    (o->apn && qlink_ftp_set_apn(ftp, o->apn)) ||
	    (o->chunk && qlink_ftp_set_chunk(ftp, o->chunk)) ||
	    (o->rsptimeout && qlink_ftp_set_rsptimeout(ftp, o->rsptimeout)))
		goto bad;
	for (i = 0; i < o->n_sslopt; i++) {
		char name[32];
		const char *eq = strchr(o->sslopt[i], '=');

		if (!eq || (size_t)(eq - o->sslopt[i]) >= sizeof(name)) {
			fprintf(stderr, "qlink: ftp: --ssl-opt takes NAME=VALUE\n");
			return -1;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - o->sslopt[i]), o->sslopt[i]);
		if (qlink_ftp_set_ssl_option(ftp, name, eq + 1))
			goto bad;
	}
	explicit_bzero(o->url.pass, sizeof(o->url.pass));
	return 0;
bad:
	explicit_bzero(o->url.pass, sizeof(o->url.pass));
	fprintf(stderr, "qlink: ftp: %s\n", qlink_ftp_get_error(ftp));
	return -1;
}

/* parse_opts(): a wrong value or option, already named on stderr */
#define BAD_NAMED (-2)

/* a bad value: name the option, the value and what it takes */
static int bad_value(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "qlink: ftp: --%s %s: %s\n", opt, val, want);
	return BAD_NAMED;
}

static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' || *s == '+' || *out < min || *out > max ?
		       -1 :
		       0;
}

/*
 * The options, before the command or after it alike, as getopt_long()
 * permutes them; "--" ends them, so that a name may start with '-'.
 * Returns 0, -1 (print the usage) or BAD_NAMED.
 */
static int parse_opts(int argc, char **argv, struct ftp_opts *o)
{
	enum {
		O_URL = 256,
		O_SSL,
		O_CONTEXT,
		O_APN,
		O_ASCII,
		O_ACTIVE,
		O_CHUNK,
		O_RSPT,
		O_SSLOPT,
		O_CONT,
		O_APPEND,
		O_VIA,
		O_NETRC,
	};
	static const struct option lo[] = {
		{ "url", required_argument, NULL, O_URL },
		{ "ssl", required_argument, NULL, O_SSL },
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "apn", required_argument, NULL, O_APN },
		{ "ascii", no_argument, NULL, O_ASCII },
		{ "active", no_argument, NULL, O_ACTIVE },
		{ "chunk", required_argument, NULL, O_CHUNK },
		{ "rsptimeout", required_argument, NULL, O_RSPT },
		{ "ssl-opt", required_argument, NULL, O_SSLOPT },
		{ "continue", no_argument, NULL, O_CONT },
		{ "append", no_argument, NULL, O_APPEND },
		{ "via", required_argument, NULL, O_VIA },
		{ "netrc-file", required_argument, NULL, O_NETRC },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *url = getenv("QLINK_FTP_URL");
	unsigned long v;
	int c, idx;

	o->ssl = -1;
	optind = 0; /* glibc: a full restart, as for a new argv */
	opterr = 0; /* the messages below name the option in qlink's words */
	while ((c = getopt_long(argc, argv, ":h", lo, &idx)) != -1) {
		switch (c) {
		case O_URL:
			url = optarg;
			break;
		case O_SSL:
			if (!strcmp(optarg, "implicit"))
				o->ssl = QLINK_FTP_SSL_IMPLICIT;
			else if (!strcmp(optarg, "explicit"))
				o->ssl = QLINK_FTP_SSL_EXPLICIT;
			else if (!strcmp(optarg, "none"))
				o->ssl = QLINK_FTP_SSL_NONE;
			else
				return bad_value("ssl", optarg, "want implicit, explicit or none");
			break;
		case O_CONTEXT:
			if (parse_num(optarg, 1, 15, &v))
				return bad_value("context", optarg, "want a PDP context 1-15");
			o->context = (int)v;
			break;
		case O_APN:
			o->apn = optarg;
			break;
		case O_ASCII:
			o->ascii = true;
			break;
		case O_ACTIVE:
			o->active = true;
			break;
		case O_CHUNK:
			/* qlink_ftp_set_chunk()'s range */
			if (parse_num(optarg, 1, 1ul << 30, &v))
				return bad_value("chunk", optarg,
						 "want a number of bytes, 1 byte to 1 GiB "
						 "(1073741824)");
			o->chunk = v;
			break;
		case O_RSPT:
			/* the module's <timeout> (FTP(S) guide, AT+QFTPCFG) */
			if (parse_num(optarg, 20, 180, &v))
				return bad_value("rsptimeout", optarg, "want 20-180 seconds");
			o->rsptimeout = (unsigned int)v;
			break;
		case O_SSLOPT:
			if (o->n_sslopt == 8) {
				fprintf(stderr, "qlink: ftp: at most 8 --ssl-opt\n");
				return BAD_NAMED;
			}
			o->sslopt[o->n_sslopt++] = optarg;
			break;
		case O_CONT:
			o->cont = true;
			break;
		case O_APPEND:
			o->append = true;
			break;
		case O_VIA:
			o->via = optarg;
			break;
		case O_NETRC:
			o->netrc = optarg;
			break;
		case 'h':
			ftp_usage(stdout);
			exit(EXIT_OK);
		case ':':
			fprintf(stderr, "qlink: ftp: %s needs a value (see qlink ftp --help)\n",
				argv[optind - 1]);
			return BAD_NAMED;
		default:
			fprintf(stderr,
				"qlink: ftp: unknown option '%s' (see qlink ftp --help; after "
				"\"--\" a name may start with '-')\n",
				argv[optind - 1]);
			return BAD_NAMED;
		}
	}
	if (o->via && (o->cont || o->append)) {
		fprintf(stderr, "qlink: ftp: --via goes with neither --continue nor --append\n");
		return BAD_NAMED;
	}
	if (!url || parse_url(url, &o->url)) {
		char shown[300];

		/* one line that says what is wrong, not the whole usage */
		if (url)
			qlink_redact(url, shown, sizeof(shown));
		if (url)
			fprintf(stderr,
				"qlink: ftp: %s: not an FTP URL: want ftp://[user@]host[:port]/"
				"[dir/][file], ftps://..., an IPv6 host in [ ]\n",
				shown);
		else
			fprintf(stderr, "qlink: ftp: no server: pass --url or set QLINK_FTP_URL\n");
		return BAD_NAMED;
	}
	return 0;
}

int cmd_ftp(struct tool *t, int argc, char **argv)
{
	struct ftp_opts o = { 0 };
	struct qlink_ftp *ftp;
	char shown[800], *opv[4], urlfile[256];
	int ret, i, n = 0, opi;
	size_t k;
	struct json j;

	ret = parse_opts(argc, argv, &o);
	if (ret) {
		if (ret != BAD_NAMED)
			ftp_usage(stderr);
		return EXIT_USAGE;
	}
	/* the command and its operands, the options taken out wherever they stood */
	for (opi = optind; opi < argc; opi++) {
		if (n < 4)
			opv[n++] = argv[opi];
		else
			n = 5;
	}
	for (k = 0; n && n <= 4 && k < sizeof(ops) / sizeof(ops[0]); k++)
		if (!strcmp(opv[0], ops[k].name))
			break;
	/*
	 * curl's reading of a URL that names a file: --url ftp://h/dir/f.bin
	 * get (or put LOCAL) transfers f.bin in /dir/.
	 */
	if (n && n <= 4 && k < sizeof(ops) / sizeof(ops[0]) &&
	    ((ops[k].run == op_get && n == 1) || (ops[k].run == op_put && n == 2))) {
		char *slash = strrchr(o.url.path, '/');

		if (!slash || !slash[1]) {
			fprintf(stderr,
				"qlink: ftp: %s: name the %s file, in the URL (ftp://host/"
				"dir/FILE) or after the command\n",
				opv[0], ops[k].run == op_get ? "remote" : "local");
			return EXIT_USAGE;
		}
		snprintf(urlfile, sizeof(urlfile), "%s", slash + 1);
		slash[1] = '\0';
		opv[n++] = urlfile;
	}
	if (n >= 2 && k < sizeof(ops) / sizeof(ops[0]) &&
	    ((ops[k].run == op_get && n == 3 && !strcmp(opv[2], "-")) ||
	     (ops[k].run == op_put && !strcmp(opv[1], "-")))) {
		const char *why = ops[k].run == op_get ?
					  (t->json ? "--json and the file both want stdout" :
					   o.cont  ? "--continue needs a LOCAL file" :
					   o.via   ? "--via needs a LOCAL file" :
						     NULL) :
				  n < 3 ? "name the REMOTE file" :
				  o.via ? "--via needs a LOCAL file" :
					  NULL;

		if (why) {
			fprintf(stderr, "qlink: ftp: %s -: %s\n", opv[0], why);
			return EXIT_USAGE;
		}
	}
	if (!n || n > 4 || k == sizeof(ops) / sizeof(ops[0]) || n - 1 < ops[k].min ||
	    n - 1 > ops[k].max) {
		ftp_usage(stderr);
		return EXIT_USAGE;
	}
	if (!o.chunk) {
		/*
		 * Each chunk costs a command and a new data connection on the
		 * server (tens of ms here, an LTE round trip or more in the
		 * field), and a cancel waits for the chunk's end: about 4 s of
		 * line time keeps the first to about 1% and the second short.
		 */
		unsigned long rate = (t->baud ? t->baud : 115200) / 10;

		o.chunk = rate * 4 < 65536 ? 65536 : rate * 4 > (1u << 20) ? 1u << 20 : rate * 4;
	}
	url_show(&o.url, shown, sizeof(shown));
	/* ModemManager would probe the port in the middle of a transfer */
	t->inhibit_mm = true;
	ret = tool_open(t);
	if (ret)
		return ret;
	ftp = qlink_ftp_new(t->chan);
	if (!ftp || configure(ftp, &o)) {
		qlink_ftp_free(ftp);
		tool_close(t);
		return ftp ? EXIT_USAGE : EXIT_FAIL;
	}
	tool_catch_interrupts(cancel_transfer, ftp);
	if (t->json) {
		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_str(&j, "url", shown);
		json_str(&j, "command", opv[0]);
	}
	ret = 0;
	if (ops[k].login) {
		ret = qlink_ftp_open(ftp, o.url.host, o.url.port);
		if (!ret && o.url.path[0] && strcmp(o.url.path, "/"))
			ret = qlink_ftp_cwd(ftp, o.url.path);
	}
	/* a signal the login outlived (its answers kept coming) still stops us */
	if (!ret && qlink_chan_get_cancelled(t->chan)) {
		ret = -1;
		errno = ECANCELED;
	}
	if (!ret)
		ret = ops[k].run(t, ftp, &o, n, opv, &j);
	fflush(t->out); /* the result before the logout's trace */
	i = ret == -2 ? EIO : ret ? errno : 0;
	if (ret == -1)
		fprintf(stderr, "qlink: %s: %s\n", shown,
			i == ECANCELED && !*qlink_ftp_get_error(ftp) ? "cancelled" :
								       qlink_ftp_get_error(ftp));
	if (ret == -1 && i == ETIMEDOUT)
		tool_hint_no_answer(t);
	if (t->json) {
		int err = 0, proto = 0;

		json_bool(&j, "ok", !ret);
		if (ret) {
			qlink_ftp_get_codes(ftp, &err, &proto);
			json_str(&j, "error", qlink_ftp_get_error(ftp));
			json_int(&j, "err", err);
			json_int(&j, "protocol_error", proto);
		}
		json_obj_end(&j);
	}
	if (ops[k].login && i != ENXIO) {
		/* log out even after a failure, so the module is not left busy (603) */
		signal(SIGINT, SIG_DFL);
		qlink_ftp_close(ftp);
	}
	tool_release_interrupts();
	qlink_ftp_free(ftp);
	tool_close(t);
	/* EINVAL: an operand the library refused, named in the message (ftp.h) */
	return ret ? tool_exit_code(i, TOOL_EXIT_USAGE_EINVAL | TOOL_EXIT_CANCEL) : EXIT_OK;
}
