// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The modelled products, the module's persistent state (--state DIR:
 * firmware revision and UFS: files survive reboots and restarts), local
 * files and fault specs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim-core.h"

static const struct sim_model models[] = {
	{ "EC200T", "EC200T", "EC200TCNDAR02A07M16", true },
	{ "EC200S", "EC200S", "EC200SCNAAR03A05M08", false },
	{ "EC200N-CN", "EC200N", "EC200NCNLAR03A01M08", false },
	{ "EC600S-CN", "EC600S", "EC600SCNLAR02A02M08", false },
	{ "EC600N-CN", "EC600N", "EC600NCNLAR03A03M08", false },
	{ "EC800N", "EC800N", "EC800NCNLAR01A03M08", false },
	{ "EG912Y", "EG912Y", "EG912YEMAR01A01M16", false },
};

const struct sim_model *sim_model_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (!strcasecmp(models[i].name, name))
			return &models[i];
	return NULL;
}

struct sim_state *sim_state(struct sim *s)
{
	return &s->st;
}

int sim_flash_mb(struct sim *s)
{
	size_t n = strcspn(s->st.revision, "_");

	return n >= 3 && !strncmp(s->st.revision + n - 3, "M08", 3) ? 8 : 16;
}

bool sim_pdp_active(struct sim *s, int cid)
{
	return cid >= 1 && cid <= SIM_CTX_MAX && s->st.pdp[cid].active;
}

const char *sim_state_dir(struct sim *s)
{
	return s->state_dir;
}

unsigned int sim_guard_ms(struct sim *s)
{
	return s->guard_ms;
}

const char *sim_fault(struct sim *s, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < s->n_faults; i++) {
		const char *f = s->faults[i];

		if (!strncmp(f, name, n) && (f[n] == '\0' || f[n] == '='))
			return f[n] == '=' ? f + n + 1 : "";
	}
	return NULL;
}

void sim_fault_clear(struct sim *s, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < s->n_faults; i++) {
		const char *f = s->faults[i];

		if (!strncmp(f, name, n) && (f[n] == '\0' || f[n] == '=')) {
			s->faults[i] = s->faults[--s->n_faults];
			return;
		}
	}
}

/* ---------------------------------------------------------------- files */

bool sim_file_valid_name(const char *name)
{
	const char *colon = strchr(name, ':');
	size_t n;

	if (!colon ||
	    (strncmp(name, "RAM:", 4) && strncmp(name, "UFS:", 4) && strncmp(name, "SD:", 3)))
		return false;
	n = strlen(colon + 1);
	return n > 0 && n < 80 && !strpbrk(colon + 1, "/\\*?\"");
}

static struct sim_file *file_find(struct sim *s, const char *name)
{
	int i;

	for (i = 0; i < SIM_MAX_FILES; i++)
		if (s->files[i].name[0] && !strcmp(s->files[i].name, name))
			return &s->files[i];
	return NULL;
}

const unsigned char *sim_file_get(struct sim *s, const char *name, size_t *len)
{
	struct sim_file *f = file_find(s, name);

	if (!f)
		return NULL;
	*len = f->len;
	return f->data ? f->data : (const unsigned char *)"";
}

static void file_persist(struct sim *s, struct sim_file *f)
{
	char path[512];
	FILE *fp;

	if (!s->state_dir || strncmp(f->name, "UFS:", 4))
		return;
	snprintf(path, sizeof(path), "%s/ufs", s->state_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/ufs/%s", s->state_dir, f->name + 4);
	fp = fopen(path, "wb");
	if (!fp)
		return;
	if (f->len)
		fwrite(f->data, 1, f->len, fp);
	fclose(fp);
}

static bool file_store(struct sim *s, const char *name, const void *data, size_t len, bool append)
{
	struct sim_file *f = file_find(s, name);
	unsigned char *p;
	int i;

	if (!sim_file_valid_name(name))
		return false;
	for (i = 0; !f && i < SIM_MAX_FILES; i++) {
		if (!s->files[i].name[0]) {
			f = &s->files[i];
			snprintf(f->name, sizeof(f->name), "%s", name);
			f->data = NULL;
			f->len = 0;
		}
	}
	if (!f)
		return false;
	if (!append)
		f->len = 0;
	p = realloc(f->data, f->len + len + 1);
	if (!p)
		return false;
	memcpy(p + f->len, data, len);
	f->data = p;
	f->len += len;
	file_persist(s, f);
	return true;
}

bool sim_file_put(struct sim *s, const char *name, const void *data, size_t len)
{
	return file_store(s, name, data, len, false);
}

bool sim_file_append(struct sim *s, const char *name, const void *data, size_t len)
{
	return file_store(s, name, data, len, true);
}

void sim_file_remove(struct sim *s, const char *name)
{
	struct sim_file *f = file_find(s, name);
	char path[512];

	if (!f)
		return;
	if (s->state_dir && !strncmp(name, "UFS:", 4)) {
		snprintf(path, sizeof(path), "%s/ufs/%s", s->state_dir, name + 4);
		unlink(path);
	}
	free(f->data);
	memset(f, 0, sizeof(*f));
}

/* ---------------------------------------------------------------- state */

static void load_ufs(struct sim *s)
{
	char path[512];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/ufs", s->state_dir);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char name[96];
		unsigned char *buf = NULL;
		size_t len = 0;
		FILE *fp;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/ufs/%s", s->state_dir, e->d_name);
		fp = fopen(path, "rb");
		if (!fp)
			continue;
		for (;;) {
			unsigned char chunk[8192];
			size_t n = fread(chunk, 1, sizeof(chunk), fp);
			unsigned char *p;

			if (!n)
				break;
			p = realloc(buf, len + n);
			if (!p)
				break;
			buf = p;
			memcpy(buf + len, chunk, n);
			len += n;
		}
		fclose(fp);
		if (strlen(e->d_name) >= sizeof(name) - 4) {
			free(buf);
			continue;
		}
		memcpy(name, "UFS:", 4);
		strcpy(name + 4, e->d_name);
		file_store(s, name, buf ? buf : (unsigned char *)"", len, false);
		free(buf);
	}
	closedir(d);
}

void sim_state_init(struct sim *s, const char *model, const char *revision)
{
	char path[512];
	FILE *fp;

	s->st.model = sim_model_find(model);
	snprintf(s->st.revision, sizeof(s->st.revision), "%s",
		 revision ? revision : s->st.model->revision);
	snprintf(s->st.imei, sizeof(s->st.imei), "866123045678901");
	s->st.echo = true;
	s->st.amp_d = 2;
	s->st.fota_cid = 1;
	s->st.cmee = 1;
	for (int i = 0; i < SIM_SSL_CTX_MAX; i++) {
		s->st.ssl[i].sslversion = 4;
		s->st.ssl[i].ciphersuite = 0xffff;
	}
	if (!s->state_dir)
		return;
	mkdir(s->state_dir, 0755);
	/* a revision stored by an earlier run (an upgrade) wins over the default */
	snprintf(path, sizeof(path), "%s/revision", s->state_dir);
	fp = fopen(path, "r");
	if (fp) {
		char rev[64];

		if (fgets(rev, sizeof(rev), fp) && !revision) {
			rev[strcspn(rev, "\r\n")] = '\0';
			if (rev[0])
				snprintf(s->st.revision, sizeof(s->st.revision), "%s", rev);
		}
		fclose(fp);
	}
	load_ufs(s);
	sim_state_save(s);
}

void sim_state_save(struct sim *s)
{
	char path[512];
	FILE *fp;

	if (!s->state_dir)
		return;
	snprintf(path, sizeof(path), "%s/revision", s->state_dir);
	fp = fopen(path, "w");
	if (!fp)
		return;
	fprintf(fp, "%s\n", s->st.revision);
	fclose(fp);
}
