// SPDX-License-Identifier: GPL-2.0
/*
 * The FOTA package manifest: a small "key = value" text file an update
 * agent ships beside the package, so that a package built for another
 * model or another source revision, or damaged on the way, is refused
 * before the module is asked to do anything. Format in README.md
 * ("Fleet updates").
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fota-manifest.h"
#include "sha256.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Space-separated words of @v into @arr; -1 when one is too long or too many. */
static int words(char *v, char arr[][MANIFEST_NAME], int *n)
{
	char *save, *w;

	for (w = strtok_r(v, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (*n >= MANIFEST_MAX || strlen(w) >= MANIFEST_NAME)
			return -1;
		snprintf(arr[(*n)++], MANIFEST_NAME, "%s", w);
	}
	return 0;
}

static bool is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

static int parse_file(struct fota_manifest *m, char *v)
{
	struct manifest_file *mf = &m->file[m->n_file];
	char name[MANIFEST_NAME], sha[80], *end;
	char size[32];

	if (m->n_file >= MANIFEST_MAX || sscanf(v, "%127s %31s %79s", name, size, sha) != 3 ||
	    strchr(name, '/'))
		return -1;
	errno = 0;
	mf->size = strtoll(size, &end, 10);
	if (errno || *end || mf->size < 0 || !is_hex64(sha))
		return -1;
	snprintf(mf->name, sizeof(mf->name), "%s", name);
	memcpy(mf->sha256, sha, 65);
	m->n_file++;
	return 0;
}

static bool is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "ftp://", 6);
}

int fota_manifest_load(struct fota_manifest *m, const char *path, char *why, size_t len)
{
	char line[2048], *slash;
	int lineno = 0, ret = -1;
	bool magic = false;
	FILE *fp;

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	snprintf(m->dir, sizeof(m->dir), "%s", path);
	slash = strrchr(m->dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		m->dir[0] = '\0';
	fp = fopen(path, "re");
	if (!fp) {
		snprintf(why, len, "manifest %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *k = line, *v, *eq;
		int bad = 0;

		lineno++;
		if (strchr(line, '#'))
			*strchr(line, '#') = '\0';
		k = trim(k);
		if (!*k)
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(why, len, "manifest %s line %d: not \"key = value\"", path,
				 lineno);
			goto out_close;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (!magic) {
			if (strcmp(k, "qlink-fota-manifest") || strcmp(v, "1")) {
				snprintf(why, len,
					 "manifest %s line %d: the first line must be "
					 "\"qlink-fota-manifest = 1\"",
					 path, lineno);
				goto out_close;
			}
			magic = true;
			continue;
		}
		if (!strcmp(k, "model"))
			bad = words(v, m->model, &m->n_model);
		else if (!strcmp(k, "from"))
			bad = words(v, m->from, &m->n_from);
		else if (!strcmp(k, "to"))
			bad = m->to[0] || !*v || strchr(v, ' ') || strlen(v) >= sizeof(m->to) ||
			      !snprintf(m->to, sizeof(m->to), "%s", v);
		else if (!strcmp(k, "file"))
			bad = parse_file(m, v);
		else if (!strcmp(k, "source"))
			bad = m->source[0] || !*v ||
			      snprintf(m->source, sizeof(m->source), "%s%s",
				       is_url(v) || *v == '/' ? "" : m->dir,
				       v) >= (int)sizeof(m->source);
		else
			bad = 1;
		if (bad) {
			snprintf(why, len, "manifest %s line %d: bad or repeated \"%s\"", path,
				 lineno, k);
			goto out_close;
		}
	}
	if (!magic || !m->n_model || !m->to[0] || !m->n_file) {
		snprintf(why, len, "manifest %s: %s", path,
			 !magic	     ? "empty" :
			 !m->n_model ? "no \"model\" line" :
			 !m->to[0]   ? "no \"to\" line" :
				       "no \"file\" line");
		goto out_close;
	}
	ret = 0;
out_close:
	fclose(fp);
	return ret;
}

/* The last path segment of a file name or URL (no query). */
static void base_name(const char *src, char *out, size_t len)
{
	const char *b = strrchr(src, '/');
	size_t n;

	b = b ? b + 1 : src;
	n = strcspn(b, "?#");
	snprintf(out, len, "%.*s", (int)n, b);
}

/* Size and sha256 of @path against @mf; -1 with the mismatch in @why. */
static int check_file(const struct manifest_file *mf, const char *path, char *why, size_t len)
{
	char buf[65536], hex[65];
	struct sha256 c;
	long long total = 0;
	ssize_t n;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	sha256_init(&c);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(&c, buf, (size_t)n);
		total += n;
	}
	if (n < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		goto out_close;
	}
	sha256_final_hex(&c, hex);
	if (total != mf->size)
		snprintf(why, len, "%s is %lld bytes, the manifest says %lld", mf->name, total,
			 mf->size);
	else if (strcmp(hex, mf->sha256))
		snprintf(why, len, "%s has sha256 %s, the manifest says %s", mf->name, hex,
			 mf->sha256);
	else
		ret = 0;
out_close:
	close(fd);
	return ret;
}

static const struct manifest_file *find(const struct fota_manifest *m, const char *name)
{
	int i;

	for (i = 0; i < m->n_file; i++)
		if (!strcmp(m->file[i].name, name))
			return &m->file[i];
	return NULL;
}

enum manifest_verdict fota_manifest_check(const struct fota_manifest *m, const char *model,
					  const char *revision, const char *source, char *why,
					  size_t len)
{
	char base[MANIFEST_NAME], path[MANIFEST_SOURCE + MANIFEST_NAME];
	const struct manifest_file *mf;
	bool url = is_url(source);
	int i;

	for (i = 0; i < m->n_model; i++)
		if (!fnmatch(m->model[i], model, 0))
			break;
	if (i == m->n_model) {
		snprintf(why, len, "the package is for %s%s, the module is an %s (%s)", m->model[0],
			 m->n_model > 1 ? " and others" : "", model, revision);
		return MANIFEST_REFUSE;
	}
	if (!strcmp(revision, m->to))
		return MANIFEST_CURRENT;
	for (i = 0; i < m->n_from; i++)
		if (!strcmp(m->from[i], revision))
			break;
	if (m->n_from && i == m->n_from) {
		snprintf(why, len, "the package applies to %s%s, the module runs %s", m->from[0],
			 m->n_from > 1 ? " (and others listed)" : "", revision);
		return MANIFEST_REFUSE;
	}
	base_name(source, base, sizeof(base));
	mf = find(m, base);
	if (!mf) {
		snprintf(why, len, "the manifest lists no file %s", base);
		return MANIFEST_REFUSE;
	}
	if (strlen(base) > 7 && !strcmp(base + strlen(base) - 7, ".mini_1")) {
		char pair[MANIFEST_NAME];

		snprintf(pair, sizeof(pair), "%.*s.mini_2", (int)strlen(base) - 7, base);
		if (!find(m, pair)) {
			snprintf(why, len, "the manifest lists no %s beside %s (MiniFOTA pair)",
				 pair, base);
			return MANIFEST_REFUSE;
		}
	}
	for (i = 0; i < m->n_file; i++) {
		mf = &m->file[i];
		if (!url && !strcmp(mf->name, base))
			snprintf(path, sizeof(path), "%s", source);
		else
			snprintf(path, sizeof(path), "%s%s", m->dir, mf->name);
		/* a URL's files are the server's; the host checks the copies it has */
		if (url && access(path, F_OK))
			continue;
		if (check_file(mf, path, why, len) < 0)
			return MANIFEST_REFUSE;
	}
	return MANIFEST_OK;
}
