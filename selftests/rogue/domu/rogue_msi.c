// SPDX-License-Identifier: GPL-2.0
/*
 * rogue_msi - the guest-side partner of the rogue pciif backend (lab domU).
 *
 * Binds to the backend's modelled device (524f:4755, class ff0000, which no
 * other driver takes) and, every period_ms, asks the PCI core for one MSI
 * vector and then for nvec MSI-X vectors and frees them again, so the
 * backend's MSI scenarios get enable/disable ops through the frontend. It
 * never touches the device's BAR (there is no memory behind it) and never
 * requests the interrupts. Each round is one line, "rogue_msi: round N:
 * MSI R1, MSI-X R2"; only the first round_devs bound devices run rounds
 * (the others only bind, for the AER callbacks). It also has AER callbacks, so the backend's AER
 * requests reach a driver: error_detected asks for a reset, slot_reset and
 * mmio_enabled report recovered, resume logs.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

static unsigned int period_ms = 2000;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "Time between MSI/MSI-X rounds in ms (default 2000, 0: one round)");

static unsigned int nvec = 4;
module_param(nvec, uint, 0444);
MODULE_PARM_DESC(nvec, "MSI-X vectors to ask for (default 4, 1..8)");

static unsigned int round_devs = 1;
module_param(round_devs, uint, 0444);
MODULE_PARM_DESC(round_devs, "How many bound devices run the rounds at a time (default 1)");

/*
 * Devices running rounds now. With 64 roots or 256 functions every device doing
 * rounds would fill the frontend's single op channel (one op in flight for the
 * whole bus) and starve the enumeration the scenario is about.
 */
static atomic_t rogue_msi_rounding = ATOMIC_INIT(0);

struct rogue_msi {
	struct pci_dev *pdev;
	struct delayed_work work;
	unsigned long round;
	bool enabled;
	bool rounding;
};

static void rogue_msi_round(struct work_struct *w)
{
	struct rogue_msi *rm = container_of(to_delayed_work(w), struct rogue_msi, work);
	struct pci_dev *pdev = rm->pdev;
	int msi, msix;

	msi = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (msi > 0)
		pci_free_irq_vectors(pdev);
	msix = pci_alloc_irq_vectors(pdev, 1, clamp(nvec, 1U, 8U), PCI_IRQ_MSIX);
	if (msix > 0)
		pci_free_irq_vectors(pdev);
	pci_info(pdev, "rogue_msi: round %lu: MSI %d, MSI-X %d\n", ++rm->round, msi, msix);
	if (period_ms)
		schedule_delayed_work(&rm->work, msecs_to_jiffies(period_ms));
}

static int rogue_msi_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct rogue_msi *rm;
	int err;

	rm = devm_kzalloc(&pdev->dev, sizeof(*rm), GFP_KERNEL);
	if (!rm)
		return -ENOMEM;
	rm->pdev = pdev;
	INIT_DELAYED_WORK(&rm->work, rogue_msi_round);
	/* D0 and memory decoding; a backend that refuses is reported, not fatal */
	err = pci_enable_device_mem(pdev);
	if (err)
		pci_warn(pdev, "rogue_msi: enabling the device failed: %d\n", err);
	rm->enabled = !err;
	pci_set_drvdata(pdev, rm);
	if (atomic_inc_return(&rogue_msi_rounding) <= round_devs) {
		rm->rounding = true;
		schedule_delayed_work(&rm->work, 0);
	} else {
		atomic_dec(&rogue_msi_rounding);
	}
	pci_info(pdev, "rogue_msi: bound%s\n", rm->rounding ? "" : ", no rounds (round_devs)");
	return 0;
}

static void rogue_msi_remove(struct pci_dev *pdev)
{
	struct rogue_msi *rm = pci_get_drvdata(pdev);

	if (rm->rounding) {
		cancel_delayed_work_sync(&rm->work);
		atomic_dec(&rogue_msi_rounding);
	}
	pci_free_irq_vectors(pdev);
	if (rm->enabled)
		pci_disable_device(pdev);
	pci_info(pdev, "rogue_msi: unbound after %lu rounds\n", rm->round);
}

static pci_ers_result_t rogue_msi_error_detected(struct pci_dev *pdev,
						 pci_channel_state_t state)
{
	pci_info(pdev, "rogue_msi: AER error_detected (state %d)\n", (int)state);
	return PCI_ERS_RESULT_NEED_RESET;
}

static pci_ers_result_t rogue_msi_mmio_enabled(struct pci_dev *pdev)
{
	pci_info(pdev, "rogue_msi: AER mmio_enabled\n");
	return PCI_ERS_RESULT_RECOVERED;
}

static pci_ers_result_t rogue_msi_slot_reset(struct pci_dev *pdev)
{
	pci_info(pdev, "rogue_msi: AER slot_reset\n");
	return PCI_ERS_RESULT_RECOVERED;
}

static void rogue_msi_resume(struct pci_dev *pdev)
{
	pci_info(pdev, "rogue_msi: AER resume\n");
}

static const struct pci_error_handlers rogue_msi_err = {
	.error_detected = rogue_msi_error_detected,
	.mmio_enabled = rogue_msi_mmio_enabled,
	.slot_reset = rogue_msi_slot_reset,
	.resume = rogue_msi_resume,
};

static const struct pci_device_id rogue_msi_ids[] = {
	{ PCI_DEVICE(0x524f, 0x4755) },
	{ }
};
MODULE_DEVICE_TABLE(pci, rogue_msi_ids);

static struct pci_driver rogue_msi_driver = {
	.name = "rogue_msi",
	.id_table = rogue_msi_ids,
	.probe = rogue_msi_probe,
	.remove = rogue_msi_remove,
	.err_handler = &rogue_msi_err,
};
module_pci_driver(rogue_msi_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Guest-side partner of the rogue pciif backend: MSI/MSI-X rounds, AER callbacks");
