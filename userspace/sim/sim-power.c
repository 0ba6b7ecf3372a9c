// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-sim's power: reboots, switching off, and the board's lines the
 * module watches (PWRKEY, RESET_N, DTR), read from value files.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim-core.h"
#include "sim-io.h"

static void boot_done(struct sim *s, void *ctx)
{
	(void)ctx;
	s->mode = SIM_MODE_CMD;
	s->line_len = 0;
	s->booted = true;
	/* a module that lost power mid-update goes straight back into it */
	if (s->on_boot && s->on_boot(s))
		return;
	sim_line(s, "RDY");
}

void sim_reboot(struct sim *s, unsigned int ms)
{
	sim_log(s, "reboot (%u ms)", ms);
	if (s->on_power_loss)
		s->on_power_loss(s);
	/* what it already said (END, POWERED DOWN) still leaves the UART */
	s->mode = SIM_MODE_OFF;
	s->st.echo = true; /* ATE1 is the power-on default */
	memset(s->st.pdp, 0, sizeof(s->st.pdp));
	for (int i = 0; i < SIM_MAX_FILES; i++) {
		/* RAM: does not survive a reboot */
		if (s->files[i].name[0] && !strncmp(s->files[i].name, "RAM:", 4)) {
			free(s->files[i].data);
			memset(&s->files[i], 0, sizeof(s->files[i]));
		}
	}
	sim_timer_add(s, ms, boot_done, NULL);
}

/* The shortest presses the simulated module acts on (README "Power"). */
#define SIM_PWRKEY_ON_MS 500
#define SIM_PWRKEY_OFF_MS 2500
#define SIM_RESET_MS 100
#define SIM_BOOT_MS 1000

void sim_power_off(struct sim *s)
{
	sim_log(s, "power off");
	if (s->on_power_loss)
		s->on_power_loss(s);
	s->mode = SIM_MODE_OFF;
	s->powered_off = true;
}

/* 0/1 from a value file; @dflt if it cannot be read */
static int pin_read(const char *file, int dflt)
{
	char c;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dflt;
	if (read(fd, &c, 1) != 1)
		c = dflt ? '1' : '0';
	close(fd);
	return c != '0';
}

/* A press ends: act on its width as the module's PWRKEY/RESET_N logic would. */
static void press_poll(struct sim *s)
{
	uint64_t now = sim_now_ms();
	int v;

	if (s->pwrkey_file && (v = pin_read(s->pwrkey_file, 0)) != s->pwrkey_last) {
		s->pwrkey_last = v;
		if (v) {
			s->pwrkey_t0 = now;
		} else {
			uint64_t w = now - s->pwrkey_t0;

			sim_log(s, "PWRKEY pressed %llu ms", (unsigned long long)w);
			if (s->powered_off && w >= SIM_PWRKEY_ON_MS) {
				s->powered_off = false;
				sim_reboot(s, SIM_BOOT_MS);
			} else if (!s->powered_off && s->mode != SIM_MODE_OFF &&
				   w >= SIM_PWRKEY_OFF_MS) {
				sim_line(s, "POWERED DOWN");
				sim_power_off(s);
			}
		}
	}
	if (s->reset_file && (v = pin_read(s->reset_file, 0)) != s->reset_last) {
		s->reset_last = v;
		if (v) {
			s->reset_t0 = now;
		} else if (now - s->reset_t0 >= SIM_RESET_MS && !s->powered_off) {
			sim_log(s, "RESET_N held %llu ms", (unsigned long long)(now - s->reset_t0));
			sim_reboot(s, SIM_BOOT_MS);
		}
	}
}

static int dtr_read(struct sim *s)
{
	char c = '1';
	int fd;

	if (!s->dtr_file)
		return 1;
	fd = open(s->dtr_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (read(fd, &c, 1) != 1)
		c = '1';
	close(fd);
	return c != '0';
}

/* Once a turn of the loop: a value file has no edge to wait for. */
void sim_pins_poll(struct sim *s)
{
	press_poll(s);
	if (s->dtr_file) {
		int dtr = dtr_read(s);

		if (dtr != s->dtr_last) {
			s->dtr_last = dtr;
			sim_dtr_changed(s, dtr);
		}
	}
}
