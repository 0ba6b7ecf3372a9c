// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "responder.h"

struct responder {
	int master, slave;
	bool echo, hung, greeted;
	char *script;
	char in[4096];
	size_t in_len;
	unsigned int commands;
};

static void put(struct responder *r, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(r->master, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void put_line(struct responder *r, const char *s, size_t n)
{
	put(r, "\r\n", 2);
	put(r, s, n);
	put(r, "\r\n", 2);
}

/* Lines of the script that start with @mark, from @p on. */
static const char *next_line(const char *p, size_t *len)
{
	const char *e = strchr(p, '\n');

	*len = e ? (size_t)(e - p) : strlen(p);
	return e ? e + 1 : p + *len;
}

static void greet(struct responder *r)
{
	const char *p = r->script;
	size_t n;

	while (*p) {
		const char *l = p;

		p = next_line(p, &n);
		if (n >= 2 && l[0] == '!' && l[1] == ' ')
			put_line(r, l + 2, n - 2);
	}
}

static void answer(struct responder *r, const char *cmd)
{
	const char *p = r->script, *found = NULL, *any = NULL;
	size_t n;

	while (*p && !found) {
		const char *l = p;

		p = next_line(p, &n);
		if (n < 2 || l[0] != '>' || l[1] != ' ')
			continue;
		if (n - 2 == strlen(cmd) && !strncmp(l + 2, cmd, n - 2))
			found = p;
		else if (n == 3 && l[2] == '*' && !any)
			any = p;
	}
	p = found ? found : any;
	if (!p) {
		put_line(r, "ERROR", 5);
		return;
	}
	while (*p) {
		const char *l = p;

		p = next_line(p, &n);
		if (n >= 1 && l[0] == '>')
			return;
		if (n < 2 || l[0] != '<' || l[1] != ' ')
			continue;
		if (n - 2 == 7 && !strncmp(l + 2, "%hangup", 7)) {
			close(r->master);
			close(r->slave);
			r->master = r->slave = -1;
			r->hung = true;
			return;
		}
		put_line(r, l + 2, n - 2);
	}
}

struct responder *responder_new(const char *script, bool echo, char *path, size_t len)
{
	struct responder *r = calloc(1, sizeof(*r));
	struct termios tio;
	const char *name;

	if (!r)
		return NULL;
	r->echo = echo;
	r->script = strdup(script);
	r->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (!r->script || r->master < 0 || grantpt(r->master) || unlockpt(r->master))
		goto err;
	name = ptsname(r->master);
	if (!name || strlen(name) >= len)
		goto err;
	strcpy(path, name);
	/* Hold the slave open so the master never sees EIO between clients,
	 * and make it raw before anyone opens it. */
	r->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (r->slave < 0 || tcgetattr(r->slave, &tio))
		goto err;
	cfmakeraw(&tio);
	if (tcsetattr(r->slave, TCSANOW, &tio))
		goto err;
	fcntl(r->master, F_SETFL, fcntl(r->master, F_GETFL) | O_NONBLOCK);
	/* a module that booted before the host opened the port */
	r->greeted = true;
	greet(r);
	return r;
err:
	responder_free(r);
	return NULL;
}

int responder_fd(const struct responder *r)
{
	return r->master;
}

unsigned int responder_commands(const struct responder *r)
{
	return r->commands;
}

int responder_step(struct responder *r)
{
	ssize_t n;
	char *cr;

	if (r->hung)
		return -1;
	if (!r->greeted) {
		r->greeted = true;
		greet(r);
	}
	for (;;) {
		n = read(r->master, r->in + r->in_len, sizeof(r->in) - 1 - r->in_len);
		if (n <= 0)
			break;
		if (r->echo)
			put(r, r->in + r->in_len, (size_t)n);
		r->in_len += (size_t)n;
		r->in[r->in_len] = '\0';
		while ((cr = memchr(r->in, '\r', r->in_len))) {
			size_t used = (size_t)(cr - r->in) + 1;

			*cr = '\0';
			r->commands++;
			answer(r, r->in);
			if (r->hung)
				return -1;
			memmove(r->in, r->in + used, r->in_len - used);
			r->in_len -= used;
		}
		if (r->in_len == sizeof(r->in) - 1)
			r->in_len = 0; /* no CR in 4 KB: not a command, drop it */
	}
	return 0;
}

void responder_free(struct responder *r)
{
	if (!r)
		return;
	if (r->master >= 0)
		close(r->master);
	if (r->slave > 0)
		close(r->slave);
	free(r->script);
	free(r);
}
