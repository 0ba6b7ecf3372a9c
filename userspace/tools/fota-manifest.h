/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QLINK_TOOL_FOTA_MANIFEST_H
#define QLINK_TOOL_FOTA_MANIFEST_H

#include <stddef.h>

#define MANIFEST_MAX 8	     /* models, from-revisions, files */
#define MANIFEST_NAME 128    /* a model pattern, a revision, a file name */
#define MANIFEST_SOURCE 1024 /* the source line, resolved */

struct manifest_file {
	char name[MANIFEST_NAME];
	long long size;
	char sha256[65];
};

/*
 * A FOTA package manifest (README "Fleet updates"): what a package is for
 * and what it holds, checked against the module before anything is sent.
 */
struct fota_manifest {
	char path[MANIFEST_SOURCE];
	char dir[MANIFEST_SOURCE];
	char model[MANIFEST_MAX][MANIFEST_NAME];
	int n_model;
	char from[MANIFEST_MAX][MANIFEST_NAME];
	int n_from;
	char to[MANIFEST_NAME];
	struct manifest_file file[MANIFEST_MAX];
	int n_file;
	char source[MANIFEST_SOURCE]; /* "" when none; files resolved beside the manifest */
};

/* Read @path into @m; -1 with the reason in @why (file, line, what is wrong). */
int fota_manifest_load(struct fota_manifest *m, const char *path, char *why, size_t len);

enum manifest_verdict {
	MANIFEST_OK,
	MANIFEST_CURRENT, /* the module already runs the target revision */
	MANIFEST_REFUSE,  /* @why names the mismatch */
};

/*
 * @model and @revision as the module reported them; @source the job's
 * source. Checks in order: model, target already running, source
 * revision, then each file (size and sha256 where the host has it).
 */
enum manifest_verdict fota_manifest_check(const struct fota_manifest *m, const char *model,
					  const char *revision, const char *source, char *why,
					  size_t len);

#endif
