// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-fotapkg: make packages in qlink-sim's simulated FOTA format, for
 * tests, the demo and bring-up rehearsals.
 *
 *   qlink-fotapkg --project EC200T --source REV --target REV [--kind K]
 *                 [--size N] [--corrupt] -o FILE
 *
 * --kind mini writes FILE.mini_1 and FILE.mini_2, MiniFOTA's two parts
 * (the first takes the source to an intermediate revision, the second
 * that to the target).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fota-pkg.h"

static int write_pkg(const char *path, const char *project, const char *source, const char *target,
		     const char *kind, size_t size, int corrupt, unsigned int seed)
{
	char base[64], md5[33];
	unsigned char *body = calloc(1, size ? size : 1);
	size_t i;
	FILE *f;

	if (!body)
		return -1;
	/* a body that differs per package, deterministically */
	for (i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		body[i] = (unsigned char)(seed >> 16);
	}
	if (fota_md5_hex(body, size, md5)) {
		free(body);
		return -1;
	}
	if (corrupt && size)
		body[size / 2] ^= 0x5a; /* the header's MD5 no longer matches */
	fota_baseline(source, base, sizeof(base));
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		free(body);
		return -1;
	}
	fprintf(f,
		"QLINK-FOTA 1\nproject: %s\nbaseline: %s\nsource: %s\ntarget: %s\n"
		"kind: %s\nlength: %zu\nmd5: %s\n\n",
		project, base, source, target, kind, size, md5);
	fwrite(body, 1, size, f);
	free(body);
	return fclose(f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 'n' },
		{ "corrupt", no_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *project = NULL, *source = NULL, *target = NULL, *kind = "delta", *out = NULL;
	size_t size = 65536;
	int corrupt = 0, c;

	while ((c = getopt_long(argc, argv, "p:s:t:k:n:co:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			project = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 't':
			target = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			size = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			corrupt = 1;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!project || !source || !target || !out ||
	    (strcmp(kind, "full") && strcmp(kind, "delta") && strcmp(kind, "mini"))) {
		fprintf(stderr, "usage: qlink-fotapkg --project P --source REV --target REV "
				"[--kind full|delta|mini] [--size N] [--corrupt] -o FILE\n");
		return 2;
	}
	if (!strcmp(kind, "mini")) {
		char p1[4096], p2[4096], mid[80];

		snprintf(p1, sizeof(p1), "%s.mini_1", out);
		snprintf(p2, sizeof(p2), "%s.mini_2", out);
		snprintf(mid, sizeof(mid), "%s_MINI1", source);
		return write_pkg(p1, project, source, mid, "mini_1", size, corrupt, 1) ||
				       write_pkg(p2, project, mid, target, "mini_2", size, 0, 2) ?
			       1 :
			       0;
	}
	return write_pkg(out, project, source, target, kind, size, corrupt, 3) ? 1 : 0;
}
