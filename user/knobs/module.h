/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The module layer: what every command and the tune loop ask of ostune.ko
 * beyond one client call, with errors reported in the same words
 * everywhere.
 */
#ifndef OSTUNE_MODULE_H
#define OSTUNE_MODULE_H

#include "base/exitcode.h"
#include "knobs/changeset.h"
#include "knobs/discover.h"
#include "lib/client.h"

/*
 * Prints "ostune: OP: STRERROR: EXTACK" (without the extack when c is
 * NULL or the kernel gave none); CLI_FAILED.
 */
int module_op_failed(const struct ostune_client *c, const char *op, int err);

/*
 * Opens the client; on failure says why (the module not being loaded
 * included) and returns -errno.
 */
int module_connect(struct ostune_client *c);

/*
 * Applies cs (resolved: knob names only) as one transaction; its id in
 * *txn_id unless NULL. 0 or -errno, the kernel's words in c->err_msg.
 */
int module_apply(struct ostune_client *c, const struct changeset *cs,
		 uint32_t *txn_id);

/*
 * Current values of cs's knobs from the module, in chunks the kernel
 * accepts. *out is malloc'd, cs->n long. 0 or -errno.
 */
int module_current_values(struct ostune_client *c, const struct changeset *cs,
			  struct ostune_knob_value **out);

/*
 * discover_knobs(), with the IRQs the module says the kernel cannot move
 * marked fixed: 6.1 shows them as writable in /proc/irq (6.12 does not).
 * Discovery stands as it is without the module or with a sysroot other
 * than "/". 0 or -ENOMEM; out is for knob_list_free() either way.
 */
int module_discover(const char *sysroot, struct knob_list *out);

#endif /* OSTUNE_MODULE_H */
