// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * One help text per command, every option described, in one place so that
 * `qlink CMD --help`, `qlink CMD -h` and `qlink help CMD` are the same for
 * every command: the text on stdout, exit 0, nothing sent to the module.
 * A global option written after the command (`qlink info -p /dev/ttyUSB2`)
 * is named as one, with where it goes.
 */
#include <string.h>

#include "tool.h"

struct help {
	const char *cmd;
	const char *text;
};

#define EXITS \
	"\nexit codes: 0 ok, 1 the module reported an error, 2 usage, 3 port\n" \
	"            unavailable or lost, 4 no answer in time, 130 interrupted\n" \
	"global options (-p, -b, --no-rtscts, -t, -v, --json, --config, ...) go\n" \
	"before the command: qlink --help\n"

static const struct help helps[] = {
	{ "at", "usage: qlink [options] at CMD...\n\n"
		"Send each AT command in turn and print its response; URCs that arrive\n"
		"meanwhile are printed as [URC] lines, never mixed into a response.\n"
		"Stops at the first command that fails. With --json, one object per\n"
		"command. Credentials in commands and answers are masked.\n\n"
		"options:\n"
		"  -h, --help   this text\n" EXITS },
	{ "info", "usage: qlink [options] info\n\n"
		  "Manufacturer, model, revision, flash variant (M08: 8 MB, MiniFOTA by\n"
		  "URL only; M16: 16 MB) and IMEI, from ATI, AT+GMR and AT+GSN. A model\n"
		  "qlink does not know is named as unknown.\n\n"
		  "options:\n"
		  "  -h, --help   this text\n" EXITS },
	{ "ftp", "usage: qlink [options] ftp [--url URL] [options] COMMAND [ARGS]\n"
		 "                           [--continue | --append | --via UFS:NAME]\n\n"
		 "The module's FTP(S) client. Options may stand before or after COMMAND;\n"
		 "after --, nothing is an option.\n\n"
		 "options:\n"
		 "  --url URL             ftp://[user[:password]@]host[:port]/[dir/][file] (or\n"
		 "                        $QLINK_FTP_URL); ftps:// is implicit FTPS; the session\n"
		 "                        starts in dir; a file at the end is get's/put's REMOTE\n"
		 "  --ssl implicit|explicit  FTPS (explicit: AUTH TLS on the control port)\n"
		 "  --ssl-opt NAME=VALUE  an AT+QSSLCFG option: seclevel=1, cacert=\"UFS:ca.pem\"\n"
		 "  --context N           PDP context (default 1), activated if it is not\n"
		 "  --apn APN             set the context's APN first\n"
		 "  --ascii               ASCII transfer type (sizes are then not compared)\n"
		 "  --active              active mode instead of passive\n"
		 "  --chunk BYTES         payload per data-mode transfer (default about 4 s of\n"
		 "                        line time, 64 KiB to 1 MiB)\n"
		 "  --rsptimeout S        the module's <timeout> (20-180 s, default 90)\n"
		 "  --netrc-file FILE     read the password from FILE instead of ~/.netrc\n"
		 "  --continue            get: resume LOCAL.part\n"
		 "  --append              put: append to REMOTE\n"
		 "  --via UFS:NAME        stage the file in the module's storage\n"
		 "  -h, --help            this text\n\n"
		 "commands:\n"
		 "  ls [DIR]                  MLSD if the server has it, LIST otherwise\n"
		 "  nlst [DIR]                names only\n"
		 "  get REMOTE [LOCAL]        LOCAL - is stdout; a directory takes the file\n"
		 "  put LOCAL [REMOTE]        LOCAL - is stdin\n"
		 "  rm NAME | mkdir DIR | rmdir DIR | mv OLD NEW\n"
		 "  size NAME | mdtm NAME | pwd | stat\n\n"
		 "The password comes from the URL, $QLINK_FTP_PASSWORD, or ~/.netrc (which\n"
		 "must not be readable by others).\n" EXITS },
	{ "attach", "usage: qlink -p PORT attach [--ldisc N]\n\n"
		    "Put qlink.ko's line discipline on the port and hold it until SIGINT,\n"
		    "SIGTERM or SIGHUP; the previous discipline comes back on exit.\n\n"
		    "options:\n"
		    "  --ldisc N    the discipline number qlink.ko was loaded with\n"
		    "  -h, --help   this text\n" EXITS },
	{ "urc", "usage: qlink [options] urc [--netlink] [--follow] [--count N]\n\n"
		 "URC records from qlink.ko: /dev/qlink-urc's kept history, or the \"urc\"\n"
		 "netlink group (live only). qlink monitor works without qlink.ko.\n\n"
		 "options:\n"
		 "  -n, --netlink   read the multicast group instead of the device\n"
		 "  -f, --follow    after the history, wait for more\n"
		 "  -c, --count N   stop after N records\n"
		 "      --json      one object a line (as the global --json)\n"
		 "  -h, --help      this text\n" EXITS },
	{ "stats", "usage: qlink [options] stats [TTY]\n\n"
		   "qlink.ko's counters: all ttys, or one (ttyS1, ttyUSB2, /dev/pts/3).\n\n"
		   "options:\n"
		   "  -h, --help   this text\n" EXITS },
	{ "fota",
	  "usage: qlink [options] fota SOURCE [options]\n"
	  "       qlink [options] fota --manifest FILE [SOURCE] [options]\n"
	  "       qlink [options] fota --resume\n\n"
	  "Upgrade the firmware. SOURCE is an ftp://, http:// or https:// URL the\n"
	  "module fetches, or a file on the host uploaded over the port (default:\n"
	  "the manifest's source).\n\n"
	  "options:\n"
	  "  --mode reboot|immediate  when the update starts (where the variant takes it)\n"
	  "  --urc-download N      progress URC every N % of the download (0 or 5-100)\n"
	  "  --urc-update N        progress URC every N % of the update (0 or 5-100)\n"
	  "  --expect-revision REV  the revision the module must report afterwards\n"
	  "  --rate BYTES_PER_S    upload pace without flow control (default 15000)\n"
	  "  --flow auto|rtscts|none  flow control for a file upload (default auto)\n"
	  "  --cid N, --apn APN    the PDP context a URL is fetched through\n"
	  "  --protocol-mode       FILE:<len>,2 (vendor protocol mode: detected, reported)\n"
	  "  --download-timeout S  silence allowed during the download (default 1800)\n"
	  "  --update-timeout S    between update URCs (default 600)\n"
	  "  --boot-timeout S      for the module to come back (default 120)\n"
	  "  --attach-timeout S    for the port to appear (--resume; default 60)\n"
	  "  --dry-run             check everything, send nothing that changes the module\n"
	  "  --resume              follow an upgrade already under way\n"
	  "  --yes                 do not ask on a terminal\n"
	  "  --log FILE            append one line per job\n"
	  "  --manifest FILE       the update's manifest (from and to revisions,\n"
	  "                        packages), checked before anything is sent\n"
	  "  --skip-if-current     exit 7, nothing sent, if the module already runs\n"
	  "                        the target (--expect-revision or the manifest's)\n"
	  "  --progress plain|json  one record per change of phase or percent\n"
	  "  --progress-fd N       those records to descriptor N, not stdout\n"
	  "  --no-host-check       the host does not ask the package's server first\n"
	  "  -h, --help            this text\n"
	  "\nexit codes: 0 upgraded and revision read back, 1 the module reported an\n"
	  "            error or gave up, 2 usage, 3 port lost, 4 a bound passed,\n"
	  "            5 refused before anything was sent, 6 another revision,\n"
	  "            7 --skip-if-current: already the target, nothing sent\n"
	  "global options go before the command: qlink --help\n" },
	{ "power", "usage: qlink [options] power on|off|reset|status\n\n"
		   "  on      press PWRKEY (600 ms) unless the module answers AT; wait for RDY\n"
		   "  off     AT+QPOWD=1, else press PWRKEY (3000 ms); wait for POWERED DOWN\n"
		   "          or the port to go away\n"
		   "  reset   hold RESET_N (300 ms); wait for RDY\n"
		   "  status  does the module answer AT? exit 0 if it does, 1 if not\n"
		   "The lines come from --pwrkey-gpio/--reset-gpio (global options) or the\n"
		   "config file.\n\n"
		   "options:\n"
		   "  -h, --help   this text\n" EXITS },
	{ "escape", "usage: qlink [options] escape\n\n"
		    "Leave data mode: DTR when --dtr-gpio (a global option) names the line,\n"
		    "else +++ with its guard times; then confirm with AT.\n\n"
		    "options:\n"
		    "  -h, --help   this text\n" EXITS },
};

void cmd_help_print(const char *cmd, FILE *f)
{
	size_t i;

	if (!strcmp(cmd, "status")) {
		cmd_status_usage(f);
		return;
	}
	if (!strcmp(cmd, "monitor")) {
		cmd_monitor_usage(f);
		return;
	}
	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(helps[i].cmd, cmd)) {
			fputs(helps[i].text, f);
			return;
		}
}

bool cmd_help_has(const char *cmd)
{
	size_t i;

	if (!strcmp(cmd, "status") || !strcmp(cmd, "monitor"))
		return true;
	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(helps[i].cmd, cmd))
			return true;
	return false;
}

/* qlink's own options, which mean nothing to a subcommand */
static const struct {
	const char *name;
	bool arg;
} globals[] = {
	{ "-p", true },		  { "--port", true },	     { "-b", true },
	{ "--baud", true },	  { "--no-rtscts", false },  { "-t", true },
	{ "--wait-lock", false }, { "--inhibit-mm", false }, { "--timeout", true },
	{ "-v", false },	  { "--verbose", false },    { "--json", false },
	{ "--dtr-gpio", true },	  { "--pwrkey-gpio", true }, { "--reset-gpio", true },
	{ "--config", true },	  { "-V", false },	     { "--version", false },
};

/*
 * A global option after the command, which the command would reject or
 * take for an argument: the name of the first one, or NULL. Options the
 * command has itself (urc --json) are its own. Stops at "--".
 */
const char *cmd_help_global_after(const char *cmd, int argc, char **argv)
{
	int i;
	size_t g;

	for (i = 1; i < argc; i++) {
		size_t len = strcspn(argv[i], "=");

		if (!strcmp(argv[i], "--"))
			return NULL;
		if (!strcmp(cmd, "at") && strncmp(argv[i], "-", 1))
			continue;
		for (g = 0; g < sizeof(globals) / sizeof(globals[0]); g++) {
			if (strlen(globals[g].name) != len ||
			    strncmp(argv[i], globals[g].name, len))
				continue;
			if (!strcmp(globals[g].name, "--json") && !strcmp(cmd, "urc"))
				break;
			return globals[g].name;
		}
	}
	return NULL;
}
