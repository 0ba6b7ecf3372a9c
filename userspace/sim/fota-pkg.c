// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The simulated FOTA package format; see fota-pkg.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#include "fota-pkg.h"

void fota_baseline(const char *revision, char *out, size_t len)
{
	size_t n = strcspn(revision, "_");
	size_t i;

	/* the last 'A' followed by two digits starts the release part */
	for (i = n; i > 0; i--) {
		const char *p = revision + i - 1;

		if (*p == 'A' && (size_t)(p - revision) + 3 <= n && p[1] >= '0' && p[1] <= '9' &&
		    p[2] >= '0' && p[2] <= '9') {
			n = (size_t)(p - revision);
			break;
		}
	}
	snprintf(out, len, "%.*s", (int)n, revision);
}

int fota_md5_hex(const void *buf, size_t len, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (!EVP_Digest(buf, len, md, &n, EVP_md5(), NULL) || n != 16)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int field(const char *hdr, const char *name, char *out, size_t len)
{
	char key[32];
	const char *p, *e;

	snprintf(key, sizeof(key), "\n%s: ", name);
	p = strstr(hdr, key);
	if (!p)
		return -1;
	p += strlen(key);
	e = strchr(p, '\n');
	if (!e || (size_t)(e - p) >= len)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

int fota_pkg_parse(const unsigned char *buf, size_t len, struct fota_pkg *pkg, size_t *body)
{
	char hdr[1024], num[32], md5[33];
	const unsigned char *end;
	size_t hlen;

	memset(pkg, 0, sizeof(*pkg));
	if (len < 14 || memcmp(buf, "QLINK-FOTA 1\n", 13))
		return 505;
	end = memmem(buf, len < sizeof(hdr) ? len : sizeof(hdr), "\n\n", 2);
	if (!end)
		return 505;
	hlen = (size_t)(end - buf) + 1;
	memcpy(hdr, buf + 12, hlen - 12); /* keep the '\n' before the first field */
	hdr[hlen - 12] = '\0';
	if (field(hdr, "project", pkg->project, sizeof(pkg->project)) ||
	    field(hdr, "baseline", pkg->baseline, sizeof(pkg->baseline)) ||
	    field(hdr, "source", pkg->source, sizeof(pkg->source)) ||
	    field(hdr, "target", pkg->target, sizeof(pkg->target)) ||
	    field(hdr, "kind", pkg->kind, sizeof(pkg->kind)) ||
	    field(hdr, "length", num, sizeof(num)) || field(hdr, "md5", pkg->md5, sizeof(pkg->md5)))
		return 505;
	pkg->length = strtoul(num, NULL, 10);
	*body = hlen + 1;
	if (len - *body != pkg->length)
		return 505;
	if (fota_md5_hex(buf + *body, pkg->length, md5) || strcasecmp(md5, pkg->md5))
		return 506;
	return 0;
}

int fota_pkg_check(const struct fota_pkg *pkg, const char *family, const char *revision,
		   const char *kind)
{
	char base[64];

	if (strcmp(pkg->project, family))
		return 552;
	fota_baseline(revision, base, sizeof(base));
	if (strcmp(pkg->baseline, base))
		return 553;
	/* a full package (EC200T) applies over any revision of its baseline */
	if (strcmp(pkg->kind, "full") && strcmp(pkg->source, revision))
		return 507;
	if (strcmp(pkg->kind, kind) && !(!strcmp(kind, "delta") && !strcmp(pkg->kind, "full")))
		return 507;
	return 0;
}
