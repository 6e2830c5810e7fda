// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading ostune watch's state file back, and whether the daemon that
 * wrote it still runs: a daemon killed with SIGKILL leaves it behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "watch/daemon.h"
#include "watch/state.h"

void watch_state_path(const char *sysroot, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", strcmp(sysroot, "/") ? sysroot : "",
		 WATCH_DEFAULT_STATE);
}

json_t *watch_state_load(const char *sysroot, uint32_t session_pid)
{
	char path[4096];
	json_t *doc, *pid, *mode, *rules, *rule;
	bool live;
	size_t i;

	watch_state_path(sysroot, path, sizeof(path));
	doc = json_load_file(path, 0, NULL);
	if (!doc)
		return NULL;
	pid = json_object_get(doc, "pid");
	mode = json_object_get(doc, "mode");
	rules = json_object_get(doc, "rules");
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 ||
	    !json_is_string(mode) || !json_is_array(rules)) {
		json_decref(doc);
		return NULL;
	}
	/* what status prints of each rule must be there */
	json_array_foreach(rules, i, rule)
		if (!json_is_string(json_object_get(rule, "name")) ||
		    !json_is_string(json_object_get(rule, "state"))) {
			json_decref(doc);
			return NULL;
		}
	/* EPERM: it runs, as another user */
	live = kill((pid_t)json_integer_value(pid), 0) == 0 || errno == EPERM;
	if (!strcmp(json_string_value(mode), "held"))
		live = live && session_pid == json_integer_value(pid);
	json_object_set_new(doc, "live", json_boolean(live));
	return doc;
}
