/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-sim: a simulated EC200-family module on a pty.
 *
 * Written independently of libqlink's AT engine: a simulator that shared
 * the host's parser would hide the host's bugs. Only the result-code
 * table (qlink_code_str) is shared, so both ends use the same words.
 *
 * One event loop, driven by libcurl's multi interface with the pty as an
 * extra descriptor; network work (FTP, FOTA downloads) runs there too,
 * so the module keeps answering while a transfer is under way, as the
 * real one does.
 *
 * Layers, each calling only those below it: sim-io.h (output, timers,
 * curl, log) at the bottom; the command groups declared here; sim-power.c
 * (reboots, the board's lines); sim-main.c (options, pty, the loop) on
 * top, which nothing calls.
 */
#ifndef QLINK_SIM_H
#define QLINK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

#define SIM_LINE_MAX 2048 /* longest command line accepted */
#define SIM_MAX_ARGS 16
#define SIM_MAX_TIMERS 32
#define SIM_CTX_MAX 15	  /* PDP contexts 1..15 */
#define SIM_SSL_CTX_MAX 6 /* SSL contexts 0..5 */

struct sim;

/* --- the modelled product ------------------------------------------------ */

struct sim_model {
	const char *name;     /* EC200T, EC200N-CN, ... */
	const char *cgmm;     /* what ATI / AT+CGMM print */
	const char *revision; /* default firmware revision */
	bool full_package;    /* EC200T takes full packages incl. FILE,2 */
};

const struct sim_model *sim_model_find(const char *name);

/* --- data mode ----------------------------------------------------------- */

enum sim_data_end {
	SIM_DATA_COUNT,	 /* the announced length arrived */
	SIM_DATA_ESCAPE, /* +++ with guard times, or DTR */
};

/**
 * struct sim_data_ops - who gets the host's bytes in data mode
 * @in:  payload bytes from the host
 * @end: data mode ended; the handler answers (OK, result URC)
 */
struct sim_data_ops {
	void (*in)(struct sim *s, const unsigned char *buf, size_t len, void *ctx);
	void (*end)(struct sim *s, enum sim_data_end why, void *ctx);
};

/**
 * sim_data_enter() - answer CONNECT and switch the port to data mode
 * @len: bytes the host will send (0: until +++)
 */
void sim_data_enter(struct sim *s, size_t len, const struct sim_data_ops *ops, void *ctx);
/* The same without CONNECT (FOTA's FILE upload follows FILESTART). */
void sim_data_enter_quiet(struct sim *s, size_t len, const struct sim_data_ops *ops, void *ctx);
/* Module-to-host data mode (downloads): CONNECT, then sim_send() the payload. */
void sim_data_out_begin(struct sim *s, const struct sim_data_ops *ops, void *ctx);
/* Back to command mode (after a download's payload, or on abort). */
void sim_data_leave(struct sim *s);
bool sim_in_data_mode(const struct sim *s);

/* --- commands ------------------------------------------------------------ */

enum sim_kind {
	SIM_TEST, /* AT+X=? */
	SIM_READ, /* AT+X? */
	SIM_SET,  /* AT+X=... */
	SIM_EXEC, /* AT+X */
};

struct sim_args {
	int n;
	char *v[SIM_MAX_ARGS]; /* unquoted text */
	bool quoted[SIM_MAX_ARGS];
};

/* Integer argument @i in [lo, hi]; false if missing, not a number or out of range. */
bool sim_arg_long(const struct sim_args *a, int i, long lo, long hi, long *out);
/* String argument @i (quoted or not), or NULL. */
const char *sim_arg_str(const struct sim_args *a, int i);

struct sim_cmd {
	const char *name; /* "+QFTPCWD", "I", "&D" */
	void (*fn)(struct sim *s, enum sim_kind kind, struct sim_args *a, const char *raw);
};

extern const struct sim_cmd sim_basic_cmds[];
extern const size_t sim_basic_ncmds;
extern const struct sim_cmd sim_file_cmds[];
extern const size_t sim_file_ncmds;
extern const struct sim_cmd sim_ftp_cmds[];
extern const size_t sim_ftp_ncmds;
extern const struct sim_cmd sim_fota_cmds[];
extern const size_t sim_fota_ncmds;

/* The FTP guide's <err> for a curl result and the server's last reply. */
int sim_ftp_err(CURLcode rc, long reply);

/* At boot: resume an update that was under way (true: no RDY yet). */
bool sim_fota_resume(struct sim *s);
/* Bytes/s the module reads during a FILE upload held back by RTS/CTS; 0: no limit. */
unsigned int sim_fota_read_rate(struct sim *s);

/* --- module state shared between command groups -------------------------- */

struct sim_pdp {
	bool active;
	int type;
	char apn[64];
	char user[64];
	char pass[64];
	int auth;
	char ip[16];
};

struct sim_ssl {
	int sslversion; /* 0 SSL3 .. 4 all */
	int seclevel;	/* 0 none, 1 server, 2 both */
	unsigned int ciphersuite;
	char cacert[128]; /* a UFS: file name, checked when seclevel > 0 */
};

struct sim_state {
	const struct sim_model *model;
	char revision[64];
	char imei[16];
	bool echo;
	int amp_d;	  /* AT&D */
	int ifc_r, ifc_t; /* AT+IFC: 0 none, 2 RTS/CTS */
	int usbifc_r, usbifc_t;
	int fota_cid;
	int cmee;
	struct sim_pdp pdp[SIM_CTX_MAX + 1];
	struct sim_ssl ssl[SIM_SSL_CTX_MAX];
};

struct sim_state *sim_state(struct sim *s);
int sim_flash_mb(struct sim *s);
/* 0 if context @cid is active, else the reason as an FTP <err> (605). */
bool sim_pdp_active(struct sim *s, int cid);

/* Persistent state: --state DIR (NULL if none). */
const char *sim_state_dir(struct sim *s);
void sim_state_save(struct sim *s);

/* Guard time for +++, ms (--guard-ms). */
unsigned int sim_guard_ms(struct sim *s);

/* --- local files (RAM:, UFS:, SD:) --------------------------------------- */

/* Look up a local file by its full name ("RAM:a.bin"); NULL if absent. */
const unsigned char *sim_file_get(struct sim *s, const char *name, size_t *len);
/* Create or replace; false with a reason (bad name, no room). */
bool sim_file_put(struct sim *s, const char *name, const void *data, size_t len);
bool sim_file_append(struct sim *s, const char *name, const void *data, size_t len);
bool sim_file_valid_name(const char *name);

/* --- faults -------------------------------------------------------------- */

/* A --fault SPEC given on the command line, e.g. "ftp-error=627,550". */
const char *sim_fault(struct sim *s, const char *name);
/* Forget a one-shot fault once it has happened. */
void sim_fault_clear(struct sim *s, const char *name);

/* --- power (sim-power.c) ------------------------------------------------- */

/* Reboot the module: data mode ends, sessions close, RDY after @ms. */
void sim_reboot(struct sim *s, unsigned int ms);

#endif /* QLINK_SIM_H */
