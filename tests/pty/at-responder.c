// SPDX-License-Identifier: GPL-2.0
/*
 * at-responder [-e] [-l LINK] SCRIPT: serve a scripted module on a pty
 * and print the port's path. For the demo and for trying qlink by hand
 * until qlink-sim is there.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "responder.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *b = realloc(buf, len + n + 1);

		if (!b) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = b;
		memcpy(buf + len, chunk, n);
		len += n;
		buf[len] = '\0';
	}
	fclose(f);
	return buf ? buf : strdup("");
}

int main(int argc, char **argv)
{
	const char *link = NULL;
	struct responder *r;
	struct sigaction sa = { .sa_handler = on_signal };
	char path[128];
	bool echo = false;
	char *script;
	int c;

	while ((c = getopt(argc, argv, "el:")) != -1) {
		if (c == 'e')
			echo = true;
		else if (c == 'l')
			link = optarg;
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: at-responder [-e] [-l LINK] SCRIPT\n");
		return 2;
	}
	script = slurp(argv[optind]);
	if (!script) {
		perror(argv[optind]);
		return 1;
	}
	r = responder_new(script, echo, path, sizeof(path));
	free(script);
	if (!r) {
		perror("pty");
		return 1;
	}
	if (link) {
		unlink(link);
		if (symlink(path, link)) {
			perror(link);
			return 1;
		}
	}
	printf("%s\n", path);
	fflush(stdout);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		struct pollfd pfd = { .fd = responder_fd(r), .events = POLLIN };

		if (poll(&pfd, 1, -1) < 0)
			continue;
		if (responder_step(r) < 0)
			break;
	}
	if (link)
		unlink(link);
	responder_free(r);
	return 0;
}
