/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who owns a serial port: the UUCP lock file beside the device's flock,
 * and the scan for programs that lock neither. Private to the library:
 * transport-tty.c takes the lock, the FOTA job holds it across a reboot.
 */
#ifndef QLINK_TTY_LOCK_H
#define QLINK_TTY_LOCK_H

#include <sys/types.h>

struct tty_lock;

/**
 * tty_lock_take() - take or join this process's lock file of a tty
 * @path:      the device or a link to it
 * @out:       the reference, NULL when there is no lock file to hold (the
 *             lock directory is missing or read-only, or another process's
 *             shared file: see tty_lock_share())
 * @shared_by: the pid of a shared file's holder, else 0
 *
 * One process may hold several references (a transport, the FOTA job);
 * the file goes when the last one is dropped.
 *
 * Return: 0, or -1 with errno EBUSY (a live process other than this one
 * holds the file) or ENOMEM.
 */
int tty_lock_take(const char *path, struct tty_lock **out, pid_t *shared_by);

/** tty_lock_share() - mark the file as a line discipline's (qlink attach). */
int tty_lock_share(struct tty_lock *l);

/**
 * tty_lock_share_socket() - say "this process shares @rdev" to the scan
 * @rdev: the tty's device number
 *
 * Return: the socket to keep open for as long as the share lasts, or -1
 * with errno (EADDRINUSE: another process shares it already).
 */
int tty_lock_share_socket(dev_t rdev);

/** tty_lock_drop() - drop a reference; NULL is allowed. */
void tty_lock_drop(struct tty_lock *l);

/**
 * tty_lock_other_opener() - a process other than this one that has @rdev open
 * @rdev:   the tty's device number
 * @exempt: a pid not to report (the shared holder), or 0
 *
 * The far side of a pty (whoever holds its master) is the device, not a
 * user, and is not reported; nor is a process that shares the port
 * (tty_lock_share_socket()).
 *
 * Return: the pid, or 0 if none is seen (other users' processes are only
 * visible to root).
 */
pid_t tty_lock_other_opener(dev_t rdev, pid_t exempt);

#endif /* QLINK_TTY_LOCK_H */
