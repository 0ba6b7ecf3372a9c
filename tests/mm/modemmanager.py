# SPDX-License-Identifier: GPL-2.0
"""A MOCK of ModemManager's D-Bus interface (python3-dbusmock template): NOT
the real daemon. Debian's ModemManager 1.20 cannot be made to manage a pty
(README "ModemManager"), and bookworm's python3-dbusmock has no ModemManager
template, so this one serves what qlink uses, as ModemManager 1.20 does:

- /org/freedesktop/ModemManager1 is an ObjectManager; one modem object
  (org.freedesktop.ModemManager1.Modem) with "Device" (the uid) and "Ports"
  a(su) naming the tty by its kernel name (pts/N for a pty);
- while the modem is managed, this process holds the tty open, as
  ModemManager holds its ports;
- InhibitDevice(uid, true): the port is closed, the modem object removed
  (InterfacesRemoved), and the caller recorded; InhibitDevice(uid, false),
  or the caller leaving the bus (a crash): the port is opened again and a
  new modem object exported (InterfacesAdded), as after a re-probe.

Parameters: {"port": "/path/of/the/tty", "uid": "/sys/devices/..."}.
"""
import os

import dbus
import dbus.service

BUS_NAME = "org.freedesktop.ModemManager1"
MAIN_OBJ = "/org/freedesktop/ModemManager1"
MAIN_IFACE = "org.freedesktop.ModemManager1"
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True
MODEM_IFACE = "org.freedesktop.ModemManager1.Modem"

state = {}


def port_name(path):
	real = os.path.realpath(path)
	return real[5:] if real.startswith("/dev/") else os.path.basename(real)


def add_modem(mock):
	state["fd"] = os.open(state["port"], os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
	state["n"] += 1
	path = "%s/Modem/%d" % (MAIN_OBJ, state["n"])
	mock.AddObject(path, MODEM_IFACE, {
		"Device": dbus.String(state["uid"]),
		"Ports": dbus.Array([dbus.Struct((port_name(state["port"]), dbus.UInt32(1)),
						signature="su")], signature="(su)"),
		"PrimaryPort": dbus.String(port_name(state["port"])),
		"Manufacturer": dbus.String("Quectel"),
		"Plugin": dbus.String("qlink-test-mock"),
	}, [])
	mock.object_manager_emit_added(path)
	state["modem"] = path
	mock.log("managing %s as %s" % (state["port"], path))


def remove_modem(mock):
	path = state.pop("modem", None)
	if not path:
		return
	os.close(state.pop("fd"))
	mock.object_manager_emit_removed(path)
	mock.RemoveObject(path)
	mock.log("let go of %s" % state["port"])


def name_owner_changed(mock, name, old, new):
	if not new and name in state["inhibitors"]:
		state["inhibitors"].discard(name)
		mock.log("inhibitor %s left the bus" % name)
		if not state["inhibitors"] and "modem" not in state:
			add_modem(mock)


def load(mock, parameters):
	state.update(port=parameters["port"], uid=parameters.get("uid", "/sys/devices/qlink-sim"),
		     n=0, inhibitors=set())
	mock.AddProperties(MAIN_IFACE, {"Version": dbus.String("1.20.4 (qlink test mock)")})
	mock.AddMethods(MAIN_IFACE, [("ScanDevices", "", "", ""), ("SetLogging", "s", "", "")])
	dbus.SystemBus().add_signal_receiver(
		lambda name, old, new: name_owner_changed(mock, name, old, new),
		"NameOwnerChanged", "org.freedesktop.DBus", "org.freedesktop.DBus",
		"/org/freedesktop/DBus")
	mock.mm_add_modem = lambda: add_modem(mock)
	add_modem(mock)


@dbus.service.method(MAIN_IFACE, in_signature="sb", out_signature="", sender_keyword="sender")
def InhibitDevice(self, uid, inhibit, sender=None):
	if uid != state["uid"]:
		raise dbus.exceptions.DBusException(
			"No device found with uid '%s'" % uid,
			name="org.freedesktop.ModemManager1.Error.Core.NotFound")
	if inhibit:
		state["inhibitors"].add(sender)
		remove_modem(self)
	else:
		state["inhibitors"].discard(sender)
		if not state["inhibitors"] and "modem" not in state:
			add_modem(self)
