// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The qlink authors
/*
 * URC records: one ring for every attached tty (each record names its tty),
 * read through /dev/qlink-urc. Every open file has its own cursor; the ring
 * never waits for a reader: a reader that falls behind gets -EPIPE once and
 * goes on from the oldest record kept, as with /dev/kmsg.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "qlink.h"

/**
 * struct qlink_ring - the records
 * @lock: protects every field below; irqsave, publishing may come from a
 *	driver's context through receive_buf2()
 * @recs: @size records
 * @size: power of two
 * @first: sequence number of the oldest record held
 * @next: sequence number the next record gets
 * @wait: readers waiting for @next to move
 */
struct qlink_ring {
	spinlock_t lock;
	struct qlink_urc_record *recs;
	u32 size;
	u64 first;
	u64 next;
	wait_queue_head_t wait;
};

static struct qlink_ring ring = {
	.lock = __SPIN_LOCK_UNLOCKED(ring.lock),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(ring.wait),
};

/**
 * struct qlink_urc_reader - one open file of /dev/qlink-urc
 * @lock: serialises read() and llseek() on this file while they move @seq
 *	or use @rec; never held while waiting for a record, so a read()
 *	asleep in the ring's wait queue keeps no other caller out
 * @seq: the next record this file reads; written under @lock and
 *	ring.lock, read under either
 * @rec: bounce buffer: a record is copied out under ring.lock, to user
 *	space after it, both under @lock
 */
struct qlink_urc_reader {
	struct mutex lock;
	u64 seq;
	struct qlink_urc_record rec;
};

/**
 * qlink_urc_publish() - add a record and tell every reader
 * @q: the tty the line came from
 * @text: the line
 * @len: its length, less than QLINK_TEXT_MAX
 * @flags: QLINK_REC_*
 *
 * Context: any; does not sleep. Overwrites the oldest record when full.
 */
void qlink_urc_publish(struct qlink_ldisc_port *q, const char *text, size_t len, u32 flags)
{
	struct qlink_urc_record *r;
	unsigned long irqflags;
	u64 seq, ts = ktime_get_ns();

	spin_lock_irqsave(&ring.lock, irqflags);
	seq = ring.next++;
	r = &ring.recs[seq & (ring.size - 1)];
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->timestamp_ns = ts;
	r->flags = flags;
	r->len = len;
	memcpy(r->tty, q->name, sizeof(r->tty));
	memcpy(r->text, text, len);
	if (ring.next - ring.first > ring.size)
		ring.first++;
	spin_unlock_irqrestore(&ring.lock, irqflags);

	QLINK_COUNT(q, urcs, 1);
	wake_up_interruptible(&ring.wait);
	qlink_genl_send(q, seq, ts, flags, text, len);
}

/**
 * qlink_urc_ready() - whether a reader has something to read
 * @r: the reader
 *
 * Return: true if a record or an overrun waits.
 */
static bool qlink_urc_ready(struct qlink_urc_reader *r)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&ring.lock, flags);
	ready = r->seq != ring.next;
	spin_unlock_irqrestore(&ring.lock, flags);
	return ready;
}

/**
 * qlink_urc_open() - a new reader starts at the oldest record kept
 * @inode: the device's inode
 * @file: the new file
 *
 * Return: 0 or -ENOMEM.
 */
static int qlink_urc_open(struct inode *inode, struct file *file)
{
	struct qlink_urc_reader *r;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	mutex_init(&r->lock);
	spin_lock_irq(&ring.lock);
	r->seq = ring.first;
	spin_unlock_irq(&ring.lock);
	file->private_data = r;
	return 0;
}

/**
 * qlink_urc_release() - a reader goes
 * @inode: the device's inode
 * @file: the file
 *
 * Return: 0.
 */
static int qlink_urc_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/**
 * qlink_urc_read() - one record per call
 * @file: the reader's file
 * @buf: user buffer, at least sizeof(struct qlink_urc_record)
 * @count: its size
 * @ppos: unused: the cursor is the reader's sequence number
 *
 * The reader's mutex is dropped while waiting for a record, so llseek()
 * and other read()s of the same file are not held up by a sleeper; with
 * O_NONBLOCK the mutex is only tried: a file another thread is reading
 * right now answers -EAGAIN rather than making this caller wait.
 *
 * Return: sizeof(struct qlink_urc_record); -EPIPE once after records this
 * reader had not read were overwritten (the next read returns the oldest
 * record kept); -EAGAIN with O_NONBLOCK and nothing new (or the file busy);
 * -EINVAL for a short buffer; -EFAULT; -ERESTARTSYS.
 */
static ssize_t qlink_urc_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct qlink_urc_reader *r = file->private_data;
	ssize_t ret;

	if (count < sizeof(r->rec))
		return -EINVAL;
	if (file->f_flags & O_NONBLOCK) {
		if (!mutex_trylock(&r->lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&r->lock)) {
		return -ERESTARTSYS;
	}
	for (;;) {
		spin_lock_irq(&ring.lock);
		if (r->seq < ring.first) {
			QLINK_COUNT(NULL, dropped, ring.first - r->seq);
			r->seq = ring.first;
			spin_unlock_irq(&ring.lock);
			ret = -EPIPE;
			goto out;
		}
		if (r->seq < ring.next) {
			r->rec = ring.recs[r->seq & (ring.size - 1)];
			r->seq++;
			spin_unlock_irq(&ring.lock);
			break;
		}
		spin_unlock_irq(&ring.lock);
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		/* wait unlocked: a record may be taken by another caller, look again */
		mutex_unlock(&r->lock);
		if (wait_event_interruptible(ring.wait, qlink_urc_ready(r)) ||
		    mutex_lock_interruptible(&r->lock))
			return -ERESTARTSYS;
	}
	ret = copy_to_user(buf, &r->rec, sizeof(r->rec)) ? -EFAULT : sizeof(r->rec);
out:
	mutex_unlock(&r->lock);
	return ret;
}

/**
 * qlink_urc_poll() - readable when a record or an overrun waits
 * @file: the reader's file
 * @wait: poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM, plus EPOLLERR when read() would say -EPIPE.
 */
static __poll_t qlink_urc_poll(struct file *file, poll_table *wait)
{
	struct qlink_urc_reader *r = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &ring.wait, wait);
	spin_lock_irq(&ring.lock);
	if (r->seq < ring.first)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLERR;
	else if (r->seq < ring.next)
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&ring.lock);
	return mask;
}

/**
 * qlink_urc_llseek() - move the cursor
 * @file: the reader's file
 * @offset: must be 0
 * @whence: SEEK_SET: oldest record kept; SEEK_END: only records to come
 *
 * Waits only for a read() of the same file that is copying a record out,
 * never for one waiting for a record (see qlink_urc_read()).
 *
 * Return: 0, -EINVAL, or -EINTR when killed while waiting.
 */
static loff_t qlink_urc_llseek(struct file *file, loff_t offset, int whence)
{
	struct qlink_urc_reader *r = file->private_data;

	if (offset || (whence != SEEK_SET && whence != SEEK_END))
		return -EINVAL;
	if (mutex_lock_killable(&r->lock))
		return -EINTR;
	spin_lock_irq(&ring.lock);
	r->seq = whence == SEEK_SET ? ring.first : ring.next;
	spin_unlock_irq(&ring.lock);
	mutex_unlock(&r->lock);
	return 0;
}

static const struct file_operations qlink_urc_fops = {
	.owner = THIS_MODULE,
	.open = qlink_urc_open,
	.release = qlink_urc_release,
	.read = qlink_urc_read,
	.poll = qlink_urc_poll,
	.llseek = qlink_urc_llseek,
};

/*
 * 0440, root's group until udev gives it the one that may talk to the modem
 * (packaging/udev/99-qlink.rules.in: dialout): the records carry SMS senders'
 * numbers and USSD replies, no business of every local user.
 */
static struct miscdevice qlink_urc_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "qlink-urc",
	.fops = &qlink_urc_fops,
	.mode = 0440,
};

/**
 * qlink_urc_init() - allocate the ring
 * @ring_records: records kept, a power of two
 *
 * The device comes later, from qlink_urc_register(), once everything it
 * depends on works.
 *
 * Return: 0 or -ENOMEM.
 */
int qlink_urc_init(unsigned int ring_records)
{
	ring.recs = vzalloc(array_size(ring_records, sizeof(*ring.recs)));
	if (!ring.recs)
		return -ENOMEM;
	ring.size = ring_records;
	return 0;
}

/**
 * qlink_urc_register() - make /dev/qlink-urc appear
 *
 * The last step of loading: nothing after it can fail, so no file of it is
 * ever open on a module whose load is undone.
 *
 * Return: 0 or a negative errno.
 */
int qlink_urc_register(void)
{
	return misc_register(&qlink_urc_dev);
}

/**
 * qlink_urc_unregister() - remove /dev/qlink-urc
 *
 * No reader is left at unload: each open file holds the module.
 */
void qlink_urc_unregister(void)
{
	misc_deregister(&qlink_urc_dev);
}

/**
 * qlink_urc_exit() - free the ring
 */
void qlink_urc_exit(void)
{
	vfree(ring.recs);
}
