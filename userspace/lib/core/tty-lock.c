// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Who owns a serial port.
 *
 * Three signs, because serial programs agree on none of them: an flock on
 * the device (pyserial's exclusive mode, picocom, qlink), a UUCP lock file
 * /run/lock/LCK..ttyUSB2 holding the pid in the HDB format, "%10d\n"
 * (minicom, cu, lockdev users; it also outlives the descriptor, which is
 * what keeps the port ours while a rebooting module is away), and plain
 * open descriptors, found by scanning /proc (ModemManager, gettys,
 * hciuart lock nothing).
 *
 * qlink attach keeps the port open for its line discipline and lets one
 * qlink command at a time in: its lock file says "qlink-shared", and since
 * /run/lock may not exist (an initramfs, a minimal image) it also binds an
 * abstract socket named after the device number, found in /proc/net/unix,
 * so that the scan knows its descriptor for the sharer's.
 *
 * The file is shared by references inside one process: each holds its own
 * descriptor of it with LOCK_SH, and whoever can turn that into LOCK_EX is
 * the last one and removes the file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <qlink/transport.h>

#include "core/api.h"
#include "core/tty-lock.h"

#define LOCK_DIR "/run/lock"
#define SHARED_MARK "qlink-shared\n"

struct tty_lock {
	int fd;
	char path[PATH_MAX];
};

/* /dev/ttyUSB2 -> LCK..ttyUSB2; /dev/pts/3 -> LCK..pts_3, links resolved */
static int lock_name(const char *dev, char *out, size_t size)
{
	char real[PATH_MAX], *p;
	const char *name;

	if (!realpath(dev, real))
		snprintf(real, sizeof(real), "%s", dev);
	name = strncmp(real, "/dev/", 5) ? strrchr(real, '/') + 0 : real + 5;
	if (!name)
		name = real;
	if (*name == '/')
		name++;
	if ((size_t)snprintf(out, size, LOCK_DIR "/LCK..%s", name) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = out + sizeof(LOCK_DIR "/LCK..") - 1; *p; p++)
		if (*p == '/')
			*p = '_';
	return 0;
}

static bool alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* The pid in a lock file and whether qlink attach shares it; 0 if unreadable. */
static pid_t read_lock(int fd, bool *shared)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;

	*shared = false;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	*shared = strstr(buf, "\n" SHARED_MARK) != NULL;
	return pid > 0 && pid <= INT_MAX ? (pid_t)pid : 0;
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int tty_lock_take(const char *path, struct tty_lock **out, pid_t *shared_by)
{
	struct tty_lock *l;
	int tries, saved;

	*out = NULL;
	*shared_by = 0;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -1;
	if (lock_name(path, l->path, sizeof(l->path)) < 0)
		goto no_file;
	/* a stale file is removed and the creation tried again, a few times at most */
	for (tries = 0; tries < 4; tries++) {
		char line[16];
		bool shared;
		pid_t pid;

		l->fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (l->fd >= 0) {
			int len = snprintf(line, sizeof(line), "%10d\n", (int)getpid());

			if (write(l->fd, line, (size_t)len) != len || flock(l->fd, LOCK_SH) < 0) {
				unlink(l->path);
				close(l->fd);
				goto no_file;
			}
			*out = l;
			return 0;
		}
		if (errno != EEXIST)
			goto no_file; /* no /run/lock, read-only, not ours to write */
		l->fd = open(l->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (l->fd < 0) {
			if (errno == ENOENT)
				continue;
			goto no_file;
		}
		pid = read_lock(l->fd, &shared);
		if (pid == getpid()) {
			if (flock(l->fd, LOCK_SH) < 0)
				break;
			*out = l;
			return 0;
		}
		if (alive(pid)) {
			close(l->fd);
			if (shared) {
				*shared_by = pid;
				free(l);
				return 0;
			}
			free(l);
			errno = EBUSY;
			return -1;
		}
		/* its holder died (or wrote nothing yet: give it the next try) */
		if (pid && same_file(l->fd, l->path))
			unlink(l->path);
		close(l->fd);
	}
no_file:
	saved = errno;
	free(l);
	errno = saved;
	return 0;
}

int tty_lock_share(struct tty_lock *l)
{
	off_t end;

	if (!l)
		return 0;
	end = lseek(l->fd, 0, SEEK_END);
	if (end < 0 || pwrite(l->fd, SHARED_MARK, sizeof(SHARED_MARK) - 1, end) < 0)
		return -1;
	return 0;
}

void tty_lock_drop(struct tty_lock *l)
{
	int saved = errno;

	if (!l)
		return;
	/* only the last reference of this process gets LOCK_EX */
	if (!flock(l->fd, LOCK_EX | LOCK_NB) && same_file(l->fd, l->path))
		unlink(l->path);
	close(l->fd);
	free(l);
	errno = saved;
}

/* ------------------------------------------------------------ openers */

static bool is_pid_dir(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isdigit((unsigned char)*name))
			return false;
	return true;
}

/* Does @pid hold the master of pty number @index? (fdinfo says "tty-index:") */
static bool holds_master(const char *pid, int fd, unsigned int index)
{
	char path[320], buf[512];
	ssize_t n;
	int f;
	char *p;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%d", pid, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return false;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "tty-index:");
	return p && strtoul(p + 10, NULL, 10) == index;
}

static void share_name(dev_t rdev, char *out, size_t size)
{
	snprintf(out, size, "qlink-tty-shared:%u:%u", major(rdev), minor(rdev));
}

int tty_lock_share_socket(dev_t rdev)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char name[64];
	socklen_t len;
	int fd;

	share_name(rdev, name, sizeof(name));
	/* abstract: sun_path[0] is NUL, and the name goes with the last descriptor */
	memcpy(sa.sun_path + 1, name, strlen(name));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* The inode of the socket tty_lock_share_socket() bound for @rdev, 0 if none. */
static unsigned long share_inode(dev_t rdev)
{
	char name[64], line[512];
	unsigned long inode, found = 0;
	FILE *f = fopen("/proc/net/unix", "re");

	if (!f)
		return 0;
	share_name(rdev, name, sizeof(name));
	while (!found && fgets(line, sizeof(line), f)) {
		char path[128];

		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %127s", &inode, path) == 2 &&
		    path[0] == '@' && !strcmp(path + 1, name))
			found = inode;
	}
	fclose(f);
	return found;
}

/*
 * Scan one process's descriptors: 1 if it has @rdev open, -1 if it holds
 * the master of that pty or the socket @sharer (the inode of qlink attach's
 * share), 0 if none of these.
 */
static int scan_fds(const char *pid, dev_t rdev, bool pty, unsigned long sharer)
{
	char path[300];
	struct dirent *e;
	int found = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		struct stat st;

		if (!is_pid_dir(e->d_name))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		if (sharer && S_ISSOCK(st.st_mode) && st.st_ino == sharer) {
			found = -1;
			break;
		}
		if (!S_ISCHR(st.st_mode))
			continue;
		if (st.st_rdev == rdev) {
			found = 1;
		} else if (pty && major(st.st_rdev) == 5 && minor(st.st_rdev) == 2 &&
			   holds_master(pid, atoi(e->d_name),
					minor(rdev) + (major(rdev) - 136) * 256)) {
			found = -1;
			break;
		}
	}
	closedir(d);
	return found;
}

pid_t tty_lock_other_opener(dev_t rdev, pid_t exempt)
{
	/* Unix98 pty slaves are majors 136-143 */
	bool pty = major(rdev) >= 136 && major(rdev) <= 143;
	pid_t self = getpid(), found = 0;
	unsigned long sharer = share_inode(rdev);
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid;
		int r;

		if (!is_pid_dir(e->d_name))
			continue;
		pid = (pid_t)atoi(e->d_name);
		if (pid == self || pid == exempt)
			continue;
		r = scan_fds(e->d_name, rdev, pty, sharer);
		if (r > 0 && !found)
			found = pid;
		if (r < 0 && found == pid)
			found = 0;
	}
	closedir(d);
	return found;
}

/* ------------------------------------------------------------ holders */

/* The pid holding an flock on the node @st (from /proc/locks), other than us. */
static pid_t flock_holder(const struct stat *st)
{
	char line[256];
	pid_t found = 0;
	FILE *f = fopen("/proc/locks", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char kind[16], mode[16], rw[16];
		unsigned int maj, min;
		unsigned long ino;
		int pid;

		if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%lu", kind, mode, rw, &pid, &maj,
			   &min, &ino) != 7)
			continue;
		if (strcmp(kind, "FLOCK") || ino != st->st_ino || makedev(maj, min) != st->st_dev)
			continue;
		if (pid > 0 && pid != getpid())
			found = pid;
	}
	fclose(f);
	return found;
}

/* CLOCK_REALTIME when @pid started, from its start time in ticks since boot */
static time_t started(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks = 0, btime = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* the name in parentheses may hold spaces: count fields after its end */
	p = p ? strrchr(buf, ')') : NULL;
	for (i = 0; p && i < 20; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return 0;
	ticks = strtoull(p + 1, NULL, 10);
	f = fopen("/proc/stat", "re");
	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	return btime ? (time_t)(btime + ticks / (unsigned long long)sysconf(_SC_CLK_TCK)) : 0;
}

static void describe(pid_t pid, time_t since, struct qlink_tty_holder *h)
{
	char path[64];
	FILE *f;

	memset(h, 0, sizeof(*h));
	h->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(h->name, sizeof(h->name), f))
			h->name[strcspn(h->name, "\n")] = '\0';
		fclose(f);
	}
	h->since = since ? since : started(pid);
}

QLINK_API int qlink_transport_find_tty_holder(const char *path, struct qlink_tty_holder *h)
{
	char name[PATH_MAX];
	struct stat st, lst;
	bool shared = false;
	pid_t pid, file_pid = 0;
	time_t file_time = 0;
	int fd;

	if (!path || !h) {
		errno = EINVAL;
		return -1;
	}
	if (stat(path, &st) < 0)
		return -1;
	if (!lock_name(path, name, sizeof(name))) {
		fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			file_pid = read_lock(fd, &shared);
			if (!fstat(fd, &lst))
				file_time = lst.st_mtime;
			close(fd);
			if (!alive(file_pid) || file_pid == getpid())
				file_pid = 0;
		}
	}
	pid = flock_holder(&st);
	if (pid) {
		describe(pid, pid == file_pid ? file_time : 0, h);
		return 1;
	}
	if (file_pid && !shared) {
		describe(file_pid, file_time, h);
		return 1;
	}
	pid = tty_lock_other_opener(st.st_rdev, file_pid);
	if (pid) {
		describe(pid, 0, h);
		return 1;
	}
	return 0;
}
