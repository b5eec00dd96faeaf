// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: xen-pcifront/<pci-N>/stats with the transport counters.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "errmap.h"
#include "xpf.h"

static struct dentry *xpf_dbg_root;

static const char *const xpf_op_names[XPF_OPK_NR] = {
	"conf_read", "conf_write", "enable_msi", "disable_msi",
	"enable_msix", "disable_msix", "other",
};

static int xpf_stats_show(struct seq_file *m, void *v)
{
	struct xpf_front *front = m->private;
	struct xpf_stats *st;
	unsigned int i;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	xpf_chan_snapshot(&front->chan, st);

	seq_puts(m, "ops:\n");
	for (i = 0; i < XPF_OPK_NR; i++)
		seq_printf(m, "  %-14s %llu\n", xpf_op_names[i], st->ops[i]);
	seq_puts(m, "errors:\n");
	for (i = 0; i < XPF_EC_NR; i++)
		seq_printf(m, "  %-14s %llu\n", xpf_err_class_name(i), st->errs[i]);
	seq_printf(m, "timeouts: %llu\nfastfail: %llu\nrecovered: %llu\npolls: %llu\n",
		   st->timeouts, st->fastfail, st->recovered, st->polls);
	seq_printf(m, "clock_exact: %llu\nclock_learned: %llu\nzapped: %llu\nslow_dead: %llu\n",
		   st->clock_exact, st->clock_learned, st->zapped, st->slow_dead);
	seq_printf(m, "latency_max_us: %llu\nlatency_us:\n", st->lat_max_ns / NSEC_PER_USEC);
	for (i = 0; i < XPF_LAT_NR; i++) {
		if (!st->lat[i])
			continue;
		if (!i)
			seq_printf(m, "  <1 %llu\n", st->lat[i]);
		else if (i == XPF_LAT_NR - 1)
			seq_printf(m, "  >=%llu %llu\n", 1ULL << (i - 1), st->lat[i]);
		else
			seq_printf(m, "  %llu-%llu %llu\n", 1ULL << (i - 1), (1ULL << i) - 1,
				   st->lat[i]);
	}
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xpf_stats);

static const char *const xpf_hp_names[XPF_HP_NR] = {
	[XPF_HP_ADDED] = "devices_added",
	[XPF_HP_REMOVED] = "devices_removed",
	[XPF_HP_RECONF] = "reconfiguring",
	[XPF_HP_RECONF_DONE] = "reconfigured",
	[XPF_HP_ROOT_ADD] = "roots_added",
	[XPF_HP_ROOT_DEL] = "roots_removed",
	[XPF_HP_SLOT_ADD] = "slots_added",
	[XPF_HP_SLOT_DEL] = "slots_removed",
	[XPF_HP_POWER_ON] = "slot_power_on",
	[XPF_HP_POWER_OFF] = "slot_power_off",
	[XPF_HP_CLOSE] = "backend_closed",
	[XPF_HP_RECONNECT] = "reconnects",
	[XPF_HP_RESUME] = "resumes",
	[XPF_HP_AER] = "aer_answered",
	[XPF_HP_AER_BAD] = "aer_refused",
	[XPF_HP_ERR] = "errors",
};

static int xpf_hotplug_show(struct seq_file *m, void *v)
{
	struct xpf_front *front = m->private;
	unsigned int i;

	struct xpf_chan_info ci;

	for (i = 0; i < XPF_HP_NR; i++)
		seq_printf(m, "%s %ld\n", xpf_hp_names[i], atomic_long_read(&front->hp[i]));
	xpf_chan_info(&front->chan, &ci);
	seq_printf(m, "gref %u\nevtchn %u\naer_handler %d\nchannel_dead %d\n", ci.gref,
		   ci.evtchn, ci.aer_handler, ci.dead);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xpf_hotplug);

/**
 * xpf_debugfs_init() - create the module's debugfs directory
 *
 * Return: the directory (the DMA layer puts its own in it), or an ERR_PTR.
 */
struct dentry *xpf_debugfs_init(void)
{
	xpf_dbg_root = debugfs_create_dir("xen-pcifront", NULL);
	return xpf_dbg_root;
}

/**
 * xpf_debugfs_exit() - remove the module's debugfs directory and everything in it
 */
void xpf_debugfs_exit(void)
{
	debugfs_remove_recursive(xpf_dbg_root);
	xpf_dbg_root = NULL;
}

/**
 * xpf_debugfs_add() - the debugfs files of one frontend (stats, hotplug)
 * @front: the frontend
 */
void xpf_debugfs_add(struct xpf_front *front)
{
	front->dbg = debugfs_create_dir(dev_name(&front->xdev->dev), xpf_dbg_root);
	debugfs_create_file("stats", 0400, front->dbg, front, &xpf_stats_fops);
	debugfs_create_file("hotplug", 0400, front->dbg, front, &xpf_hotplug_fops);
}

/**
 * xpf_debugfs_remove() - remove the debugfs files of one frontend
 * @front: the frontend
 */
void xpf_debugfs_remove(struct xpf_front *front)
{
	debugfs_remove_recursive(front->dbg);
	front->dbg = NULL;
}
