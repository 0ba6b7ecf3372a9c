// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ModemManager inhibition over D-Bus, with sd-bus. See include/qlink/mm.h.
 *
 * The modem is found by the tty's kernel name in its "Ports", the way
 * ModemManager names them (ttyUSB2; a pty is pts/3). Whether it has let go
 * is told by the modem object's InterfacesRemoved signal, waited for on the
 * bus connection's own descriptor, so the wait is an event, not a poll.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qlink/mm.h>

#include "core/api.h"
#include "core/clock.h"

#ifdef QLINK_HAVE_SDBUS
#include <systemd/sd-bus.h>
#endif

#define MM_SERVICE "org.freedesktop.ModemManager1"
#define MM_PATH "/org/freedesktop/ModemManager1"
#define MM_MODEM_IFACE "org.freedesktop.ModemManager1.Modem"
#define OM_IFACE "org.freedesktop.DBus.ObjectManager"
/* the default bound: ModemManager disables a modem before it lets it go */
#define DEFAULT_TIMEOUT_MS 30000

struct qlink_mm {
#ifdef QLINK_HAVE_SDBUS
	sd_bus *bus;
	sd_bus_slot *removed;
#endif
	bool inhibited, gone;
	char uid[PATH_MAX];
	char modem[256]; /* the modem object's path */
	char error[512];
};

static void set_error(struct qlink_mm *mm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct qlink_mm *mm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mm->error, sizeof(mm->error), fmt, ap);
	va_end(ap);
}

QLINK_API struct qlink_mm *qlink_mm_new(void)
{
	return calloc(1, sizeof(struct qlink_mm));
}

QLINK_API const char *qlink_mm_get_uid(const struct qlink_mm *mm)
{
	return mm && mm->inhibited ? mm->uid : "";
}

QLINK_API const char *qlink_mm_get_error(const struct qlink_mm *mm)
{
	return mm ? mm->error : "";
}

#ifdef QLINK_HAVE_SDBUS

/* /dev/ttyUSB2 -> ttyUSB2, /dev/pts/3 -> pts/3: ModemManager's port names */
static void port_name(const char *port, char *out, size_t size)
{
	char real[PATH_MAX];
	const char *p;

	if (!realpath(port, real))
		snprintf(real, sizeof(real), "%s", port);
	p = !strncmp(real, "/dev/", 5) ? real + 5 :
	    strrchr(real, '/')	       ? strrchr(real, '/') + 1 :
					 real;
	snprintf(out, size, "%s", p);
}

/* Read a modem's "Device" and whether its "Ports" hold @name; at the a{sv}. */
static int read_modem(sd_bus_message *m, const char *name, char *uid, size_t size, bool *has)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *prop, *s;
		uint32_t type;

		r = sd_bus_message_read(m, "s", &prop);
		if (r < 0)
			return r;
		if (!strcmp(prop, "Device")) {
			r = sd_bus_message_read(m, "v", "s", &s);
			if (r < 0)
				return r;
			snprintf(uid, size, "%s", s);
		} else if (!strcmp(prop, "Ports")) {
			r = sd_bus_message_enter_container(m, 'v', "a(su)");
			if (r < 0)
				return r;
			r = sd_bus_message_enter_container(m, 'a', "(su)");
			if (r < 0)
				return r;
			while ((r = sd_bus_message_read(m, "(su)", &s, &type)) > 0)
				if (!strcmp(s, name))
					*has = true;
			if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
			    (r = sd_bus_message_exit_container(m)) < 0)
				return r;
		} else {
			r = sd_bus_message_skip(m, "v");
			if (r < 0)
				return r;
		}
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/*
 * The modem whose ports hold @name: 1 with mm->modem and mm->uid set, 0 if
 * ModemManager has none, negative errno.
 */
static int find_modem(struct qlink_mm *mm, const char *name, uint64_t timeout_us)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL, *reply = NULL;
	int r, found = 0;

	r = sd_bus_message_new_method_call(mm->bus, &call, MM_SERVICE, MM_PATH, OM_IFACE,
					   "GetManagedObjects");
	if (r < 0)
		return r;
	r = sd_bus_call(mm->bus, call, timeout_us, &err, &reply);
	sd_bus_message_unref(call);
	if (r < 0) {
		set_error(mm, "ModemManager's GetManagedObjects: %s",
			  err.message ? err.message : strerror(-r));
		sd_bus_error_free(&err);
		return r;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && !found &&
	       (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		const char *path;

		r = sd_bus_message_read(reply, "o", &path);
		if (r >= 0)
			r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}");
		while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
			char uid[PATH_MAX] = "";
			const char *iface;
			bool has = false;

			r = sd_bus_message_read(reply, "s", &iface);
			if (r >= 0 && strcmp(iface, MM_MODEM_IFACE))
				r = sd_bus_message_skip(reply, "a{sv}");
			else if (r >= 0)
				r = read_modem(reply, name, uid, sizeof(uid), &has);
			if (r >= 0 && has && uid[0]) {
				snprintf(mm->modem, sizeof(mm->modem), "%s", path);
				snprintf(mm->uid, sizeof(mm->uid), "%s", uid);
				found = 1;
			}
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		set_error(mm, "ModemManager's managed objects: unexpected reply (%s)",
			  strerror(-r));
		return r;
	}
	return found;
}

static int on_removed(sd_bus_message *m, void *user, sd_bus_error *ret_error)
{
	struct qlink_mm *mm = user;
	const char *path;

	(void)ret_error;
	if (sd_bus_message_read(m, "o", &path) >= 0 && !strcmp(path, mm->modem))
		mm->gone = true;
	return 0;
}

static int call_inhibit(struct qlink_mm *mm, bool inhibit, uint64_t timeout_us)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL;
	int r;

	r = sd_bus_message_new_method_call(mm->bus, &call, MM_SERVICE, MM_PATH, MM_SERVICE,
					   "InhibitDevice");
	if (r >= 0)
		r = sd_bus_message_append(call, "sb", mm->uid, (int)inhibit);
	if (r >= 0)
		r = sd_bus_call(mm->bus, call, timeout_us, &err, NULL);
	sd_bus_message_unref(call);
	if (r < 0) {
		set_error(mm, "ModemManager's InhibitDevice(%s, %s): %s", mm->uid,
			  inhibit ? "true" : "false", err.message ? err.message : strerror(-r));
		if (sd_bus_error_has_name(&err,
					  "org.freedesktop.ModemManager1.Error.Core.Unauthorized") ||
		    sd_bus_error_has_name(&err, SD_BUS_ERROR_ACCESS_DENIED))
			r = -EACCES;
		sd_bus_error_free(&err);
	}
	return r;
}

static void disconnect(struct qlink_mm *mm)
{
	mm->removed = sd_bus_slot_unref(mm->removed);
	mm->bus = sd_bus_flush_close_unref(mm->bus);
}

QLINK_API int qlink_mm_inhibit(struct qlink_mm *mm, const char *port, unsigned int timeout_ms)
{
	uint64_t deadline, now;
	char name[PATH_MAX];
	int r, owned;

	if (!mm || !port) {
		errno = EINVAL;
		return -1;
	}
	if (mm->inhibited) {
		set_error(mm, "ModemManager already lets go of %s", mm->uid);
		errno = EALREADY;
		return -1;
	}
	mm->error[0] = '\0';
	deadline = qlink_now_ms() + (timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);
	port_name(port, name, sizeof(name));
	r = sd_bus_open_system(&mm->bus);
	if (r < 0) {
		set_error(mm, "the system bus: %s", strerror(-r));
		/* no bus, no ModemManager */
		r = -ENOENT;
		goto fail;
	}
	{
		sd_bus_message *reply = NULL;

		r = sd_bus_call_method(mm->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				       "org.freedesktop.DBus", "NameHasOwner", NULL, &reply, "s",
				       MM_SERVICE);
		if (r >= 0)
			r = sd_bus_message_read(reply, "b", &owned);
		sd_bus_message_unref(reply);
	}
	if (r < 0) {
		set_error(mm, "the system bus: %s", strerror(-r));
		goto fail;
	}
	if (!owned) {
		set_error(mm, "ModemManager is not running");
		r = -ENOENT;
		goto fail;
	}
	/* before the call: its InterfacesRemoved may come before the reply */
	r = sd_bus_match_signal(mm->bus, &mm->removed, MM_SERVICE, MM_PATH, OM_IFACE,
				"InterfacesRemoved", on_removed, mm);
	if (r < 0) {
		set_error(mm, "watching ModemManager's modems: %s", strerror(-r));
		goto fail;
	}
	now = qlink_now_ms();
	r = find_modem(mm, name, (deadline > now ? deadline - now : 1) * 1000);
	if (r == 0) {
		set_error(mm, "ModemManager manages no modem with port %s", name);
		r = -ENOENT;
	}
	if (r < 0)
		goto fail;
	mm->gone = false;
	now = qlink_now_ms();
	r = call_inhibit(mm, true, (deadline > now ? deadline - now : 1) * 1000);
	if (r < 0)
		goto fail;
	mm->inhibited = true;
	while (!mm->gone) {
		now = qlink_now_ms();
		r = sd_bus_process(mm->bus, NULL);
		if (r < 0) {
			set_error(mm, "the system bus: %s", strerror(-r));
			goto fail_inhibited;
		}
		if (r > 0)
			continue;
		if (now >= deadline) {
			set_error(mm, "ModemManager did not let go of %s within %u ms", name,
				  timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);
			r = -ETIMEDOUT;
			goto fail_inhibited;
		}
		r = sd_bus_wait(mm->bus, (deadline - now) * 1000);
		if (r < 0) {
			set_error(mm, "the system bus: %s", strerror(-r));
			goto fail_inhibited;
		}
	}
	return 0;

fail_inhibited:
	/* the error stays the first one's */
	{
		char first[sizeof(mm->error)];

		memcpy(first, mm->error, sizeof(first));
		call_inhibit(mm, false, 5000 * 1000ull);
		memcpy(mm->error, first, sizeof(first));
	}
	mm->inhibited = false;
fail:
	disconnect(mm);
	mm->uid[0] = '\0';
	errno = -r;
	return -1;
}

QLINK_API int qlink_mm_uninhibit(struct qlink_mm *mm)
{
	int r;

	if (!mm) {
		errno = EINVAL;
		return -1;
	}
	if (!mm->inhibited)
		return 0;
	r = call_inhibit(mm, false, DEFAULT_TIMEOUT_MS * 1000ull);
	mm->inhibited = false;
	disconnect(mm);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

QLINK_API void qlink_mm_free(struct qlink_mm *mm)
{
	if (!mm)
		return;
	qlink_mm_uninhibit(mm);
	disconnect(mm);
	free(mm);
}

#else /* !QLINK_HAVE_SDBUS */

QLINK_API int qlink_mm_inhibit(struct qlink_mm *mm, const char *port, unsigned int timeout_ms)
{
	(void)port;
	(void)timeout_ms;
	if (!mm) {
		errno = EINVAL;
		return -1;
	}
	set_error(mm, "libqlink was built without sd-bus: build with WITH_SDBUS=1 "
		      "(needs libsystemd-dev) to inhibit ModemManager");
	errno = ENOTSUP;
	return -1;
}

QLINK_API int qlink_mm_uninhibit(struct qlink_mm *mm)
{
	if (!mm) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

QLINK_API void qlink_mm_free(struct qlink_mm *mm)
{
	free(mm);
}

#endif
