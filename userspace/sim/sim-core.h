/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/* The simulator's own object, shared by its loop, I/O, power and state files. */
#ifndef QLINK_SIM_CORE_H
#define QLINK_SIM_CORE_H

#include "sim.h"
#include "sim-io.h"

#define SIM_MAX_FAULTS 16
#define SIM_MAX_FILES 64

struct sim_timer {
	int id; /* 0: free */
	uint64_t due;
	sim_timer_fn fn;
	void *ctx;
};

struct sim_file {
	char name[96]; /* "UFS:a.bin" */
	unsigned char *data;
	size_t len;
};

enum sim_mode {
	SIM_MODE_CMD,
	SIM_MODE_DATA_IN,  /* host -> module payload */
	SIM_MODE_DATA_OUT, /* module -> host payload; host may send +++ */
	SIM_MODE_OFF,	   /* rebooting: nothing is read or answered */
};

struct sim {
	int master, slave;
	char path[64];
	const char *link;
	unsigned int baud; /* 0: unpaced */
	unsigned int guard_ms;
	const char *state_dir;
	const char *dtr_file;
	int dtr_last;
	/* the board's PWRKEY and RESET_N: 1 while pressed/held (--pwrkey, --reset) */
	const char *pwrkey_file, *reset_file;
	int pwrkey_last, reset_last;
	uint64_t pwrkey_t0, reset_t0;
	bool powered_off; /* off by QPOWD or PWRKEY: only PWRKEY brings it back */
	/*
	 * What a power loss and a boot mean to the services above sim-power.c,
	 * installed by sim-main.c so that power calls none of them by name:
	 * FTP sessions close; an update cut short goes on (true: it did).
	 */
	void (*on_power_loss)(struct sim *s);
	bool (*on_boot)(struct sim *s);
	bool verbose;
	const char *faults[SIM_MAX_FAULTS];
	int n_faults;

	struct sim_state st;

	/* output, paced */
	unsigned char *out;
	size_t out_len, out_pos, out_cap;
	uint64_t pace_t0;   /* start of the current paced run */
	uint64_t pace_sent; /* bytes sent in it */
	uint64_t in_t0;	    /* the same for what the module reads */
	uint64_t in_read;
	bool pace_idle, in_idle; /* nothing to send / nothing came: a new run next */
	bool out_full;		 /* the pty took less than was written: wait for POLLOUT */
	uint64_t in_empty_t;	 /* when the pty was last seen empty: later bytes came after */

	/* input */
	enum sim_mode mode;
	char line[SIM_LINE_MAX];
	size_t line_len;
	bool line_overflow;
	const struct sim_data_ops *data_ops;
	void *data_ctx;
	size_t data_left; /* 0: unbounded */
	uint64_t last_in; /* time of the last byte from the host */
	uint64_t prev_in; /* ... and of the bytes before those */
	int plus;	  /* '+' held back as a possible escape */
	int escape_timer;

	struct sim_timer timers[SIM_MAX_TIMERS];
	int next_timer_id;

	CURLM *multi;
	int running;

	struct sim_file files[SIM_MAX_FILES];
	bool booted;
};

void sim_input(struct sim *s, const unsigned char *buf, size_t len);
void sim_dtr_changed(struct sim *s, int dtr);
void sim_power_off(struct sim *s);
void sim_pins_poll(struct sim *s);
void sim_file_remove(struct sim *s, const char *name);
void sim_state_init(struct sim *s, const char *model, const char *revision);
void sim_ftp_reset(struct sim *s);

#endif
