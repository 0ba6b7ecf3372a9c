/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * The VM tests' asserting helpers (cmocka): a pty with qlink attached, the
 * modem's and the owner's side of it, and the records /dev/qlink-urc must
 * (not) hold. Include after <cmocka.h> and "vm.h".
 */
#ifndef QLINK_VM_ASSERT_H
#define QLINK_VM_ASSERT_H

/* A pty pair with qlink.ko's line discipline on the slave (the owner's side). */
static inline void vm_pty_attached(struct vm_pty *p)
{
	assert_int_equal(vm_pty_open(p), 0);
	assert_int_equal(vm_setd(p->slave, QLINK_LDISC_DEFAULT), 0);
}

/*
 * The modem's bytes, all read by the owner: then receive_buf2() has seen
 * every one of them.
 */
static inline void vm_modem_says(struct vm_pty *p, const char *s)
{
	size_t len = strlen(s);
	char *buf = malloc(len);

	assert_non_null(buf);
	assert_int_equal(vm_write_all(p->master, s, len), 0);
	assert_int_equal(vm_read_exact(p->slave, buf, len, 5000), len);
	assert_memory_equal(buf, s, len);
	free(buf);
}

/* The owner writes a command; the modem side takes it off the pty. */
static inline void vm_owner_sends(struct vm_pty *p, const char *cmd)
{
	size_t len = strlen(cmd);
	char buf[256];

	assert_true(len <= sizeof(buf));
	assert_int_equal(vm_write_all(p->slave, cmd, len), 0);
	assert_int_equal(vm_read_exact(p->master, buf, len, 5000), len);
}

/* The next record is @text from @tty with exactly @flags, within 5 s. */
static inline void vm_expect_record(int ufd, const char *tty, const char *text, uint32_t flags)
{
	struct qlink_urc_record r;

	if (vm_urc_next(ufd, &r, 5000) != sizeof(r))
		fail_msg("no record \"%s\" within 5 s", text);
	assert_string_equal(r.tty, tty);
	if (strcmp(r.text, text))
		fail_msg("record \"%s\" (flags %#x), expected \"%s\"", r.text, r.flags, text);
	assert_int_equal(r.len, strlen(text));
	if (r.flags != flags)
		fail_msg("record \"%s\": flags %#x, expected %#x", r.text, r.flags, flags);
	assert_true(r.timestamp_ns <= vm_now_ns());
}

/* No record within 300 ms. */
static inline void vm_expect_no_record(int ufd)
{
	struct qlink_urc_record r;
	ssize_t n = vm_urc_next(ufd, &r, 300);

	if (n == sizeof(r))
		fail_msg("unexpected record \"%s\" (flags %#x)", r.text, r.flags);
	assert_int_equal(n, -ETIMEDOUT);
}

#endif /* QLINK_VM_ASSERT_H */
