/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IRQs named by their action: "irq.action:GLOB.affinity" stands for
 * irq.N.affinity of every IRQ with a handler whose name (as the driver
 * gave it to request_irq(), the last column of /proc/interrupts) GLOB
 * matches. IRQ numbers change from boot to boot; "virtio0-input.0" or
 * "eth0-TxRx-3" do not. The CLI resolves such names against discovery;
 * the kernel only ever sees irq.N.affinity and keeps validating and
 * owning the IRQ.
 */
#ifndef OSTUNE_IRQACTION_H
#define OSTUNE_IRQACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "knobs/discover.h"

/* The syntax, knob_is_irq_action() and its check, is knobname.h's. */

/* Does one of the handlers of k (an IRQ knob) match the name's GLOB? */
bool irq_action_matches(const char *name, const struct knob *k);

/*
 * The action name of irq.N.affinity: "irq.action:HANDLER.affinity" when
 * IRQ N has exactly one handler, no other IRQ of known has a handler of
 * that name, and the name has no glob character. false otherwise (keep
 * the number).
 */
bool irq_action_name_of(const struct knob_list *known, const char *name,
			char *out, size_t len);

#endif /* OSTUNE_IRQACTION_H */
