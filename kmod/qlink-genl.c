// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The qlink authors
/*
 * Generic netlink family "qlink": every URC record on the "urc" multicast
 * group, and QLINK_CMD_GET_STATS for the counters (one tty or the totals).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "qlink.h"
#include "qlink-compat.h"

static const struct nla_policy qlink_genl_policy[QLINK_ATTR_MAX + 1] = {
	[QLINK_ATTR_TTY] = { .type = NLA_NUL_STRING, .len = QLINK_TTY_NAME_MAX - 1 },
};

static int qlink_genl_get_stats(struct sk_buff *skb, struct genl_info *info);

/* The counters name the attached ttys and what passed: for administrators. */
static const struct genl_ops qlink_genl_ops[] = {
	{
		.cmd = QLINK_CMD_GET_STATS,
		.doit = qlink_genl_get_stats,
		.flags = GENL_ADMIN_PERM,
	},
};

/*
 * The records carry SMS senders' numbers and USSD replies: joining needs
 * CAP_NET_ADMIN where the kernel can check it (qlink-compat.h), as
 * /dev/qlink-urc needs its group.
 */
static const struct genl_multicast_group qlink_genl_mcgrps[] = {
	{ .name = QLINK_GENL_MCGRP_URC, .flags = QLINK_GENL_MCGRP_FLAGS },
};

static struct genl_family qlink_genl_family __ro_after_init = {
	.name = QLINK_GENL_NAME,
	.version = QLINK_GENL_VERSION,
	.maxattr = QLINK_ATTR_MAX,
	.policy = qlink_genl_policy,
	.module = THIS_MODULE,
	.ops = qlink_genl_ops,
	.n_ops = ARRAY_SIZE(qlink_genl_ops),
	.mcgrps = qlink_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(qlink_genl_mcgrps),
};

/**
 * qlink_put_counters() - the counters as QLINK_ATTR_STAT_* attributes
 * @msg: the reply
 * @c: the counters
 *
 * Return: 0 or -EMSGSIZE.
 */
static int qlink_put_counters(struct sk_buff *msg, struct qlink_counters *c)
{
	static const struct {
		int attr;
		size_t off;
	} map[] = {
		{ QLINK_ATTR_STAT_RX_BYTES, offsetof(struct qlink_counters, rx_bytes) },
		{ QLINK_ATTR_STAT_TX_BYTES, offsetof(struct qlink_counters, tx_bytes) },
		{ QLINK_ATTR_STAT_URCS, offsetof(struct qlink_counters, urcs) },
		{ QLINK_ATTR_STAT_DROPPED, offsetof(struct qlink_counters, dropped) },
		{ QLINK_ATTR_STAT_CRTSCTS_REASSERTS,
		  offsetof(struct qlink_counters, crtscts_reasserts) },
		{ QLINK_ATTR_STAT_DATA_MODE_ENTRIES,
		  offsetof(struct qlink_counters, data_mode_entries) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		atomic64_t *v = (atomic64_t *)((char *)c + map[i].off);

		if (nla_put_u64_64bit(msg, map[i].attr, atomic64_read(v), QLINK_ATTR_PAD))
			return -EMSGSIZE;
	}
	return 0;
}

/**
 * qlink_genl_get_stats() - QLINK_CMD_GET_STATS
 * @skb: the request
 * @info: its parsed attributes
 *
 * Only for CAP_NET_ADMIN (GENL_ADMIN_PERM; others get -EPERM from the
 * genetlink core). With QLINK_ATTR_TTY: that attached tty's counters and QLINK_STAT_* flags;
 * without: the totals since load and the number of ttys attached.
 *
 * Return: 0, -ENODEV for a tty the ldisc is not attached to, -ENOMEM,
 * -EMSGSIZE.
 */
static int qlink_genl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tty_attr = info->attrs[QLINK_ATTR_TTY];
	struct qlink_ldisc_port *q, *found = NULL;
	struct sk_buff *msg;
	u32 attached = 0;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &qlink_genl_family, 0, QLINK_CMD_GET_STATS);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_msg;
	}
	/* the list lock keeps a found tty's state from being freed */
	mutex_lock(&qlink_ldisc_list_lock);
	list_for_each_entry(q, &qlink_ldisc_list, node) {
		attached++;
		if (tty_attr && !nla_strcmp(tty_attr, q->name))
			found = q;
	}
	if (tty_attr && !found) {
		mutex_unlock(&qlink_ldisc_list_lock);
		NL_SET_ERR_MSG_ATTR(info->extack, tty_attr, "qlink is not attached to that tty");
		ret = -ENODEV;
		goto err_msg;
	}
	if (found) {
		u32 flags = (found->flow_none ? QLINK_STAT_FLOW_NONE : 0) |
			    (READ_ONCE(found->crtscts_ok) ? QLINK_STAT_CRTSCTS : 0) |
			    (READ_ONCE(found->data_mode) ? QLINK_STAT_DATA_MODE : 0);

		ret = nla_put_string(msg, QLINK_ATTR_TTY, found->name) ?:
		      nla_put_u32(msg, QLINK_ATTR_STAT_FLAGS, flags) ?:
		      qlink_put_counters(msg, &found->stats);
	} else {
		ret = nla_put_u32(msg, QLINK_ATTR_STAT_ATTACHED, attached) ?:
		      qlink_put_counters(msg, &qlink_totals);
	}
	mutex_unlock(&qlink_ldisc_list_lock);
	if (ret)
		goto err_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return ret;
}

/**
 * qlink_genl_send() - one record to the "urc" multicast group
 * @q: the tty the line came from
 * @seq: the record's sequence number
 * @ts: its timestamp
 * @flags: QLINK_REC_*
 * @text: the line
 * @len: its length
 *
 * Context: any; does not sleep. A message that cannot be built or that a
 * listener could not take counts as dropped.
 */
void qlink_genl_send(struct qlink_ldisc_port *q, u64 seq, u64 ts, u32 flags, const char *text,
		     size_t len)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	if (!genl_has_listeners(&qlink_genl_family, &init_net, 0))
		return;
	skb = genlmsg_new(nla_total_size(QLINK_TTY_NAME_MAX) + 2 * nla_total_size_64bit(8) +
			  nla_total_size(4) + nla_total_size(len), GFP_ATOMIC);
	if (!skb)
		goto dropped;
	hdr = genlmsg_put(skb, 0, 0, &qlink_genl_family, 0, QLINK_CMD_URC);
	if (!hdr ||
	    nla_put_string(skb, QLINK_ATTR_TTY, q->name) ||
	    nla_put_u64_64bit(skb, QLINK_ATTR_REC_SEQ, seq, QLINK_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, QLINK_ATTR_REC_TIMESTAMP, ts, QLINK_ATTR_PAD) ||
	    nla_put_u32(skb, QLINK_ATTR_REC_FLAGS, flags) ||
	    nla_put(skb, QLINK_ATTR_REC_TEXT, len, text)) {
		nlmsg_free(skb);
		goto dropped;
	}
	genlmsg_end(skb, hdr);
	ret = genlmsg_multicast(&qlink_genl_family, skb, 0, 0, GFP_ATOMIC);
	if (ret && ret != -ESRCH)
		goto dropped;
	return;

dropped:
	QLINK_COUNT(q, dropped, 1);
}

/**
 * qlink_genl_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int qlink_genl_init(void)
{
	return genl_register_family(&qlink_genl_family);
}

/**
 * qlink_genl_exit() - unregister the family
 */
void qlink_genl_exit(void)
{
	genl_unregister_family(&qlink_genl_family);
}
