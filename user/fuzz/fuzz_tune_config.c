// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness of the tuning-config parser (user/tune/tune_config.c):
 * the input is the JSON of `ostune tune CONFIG`. Parsing and resolving must
 * return 0 or an errno with a message, never crash or leak. The config
 * is freed whatever the outcome, as the CLI does.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "tune/tune_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tune_config c;
	json_error_t error;
	char why[512];
	json_t *doc;
	int ret;

	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &error);
	if (!doc)
		return 0;
	why[0] = '\0';
	ret = tune_config_resolve(doc, &c, why, sizeof(why));
	json_decref(doc);
	if (ret > 0 || (ret && !why[0]))
		abort();
	tune_config_free(&c);
	return 0;
}
