/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ostune internals shared between the module's files.
 */
#ifndef _OSTUNE_H
#define _OSTUNE_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <linux/ostune.h>

/* Short enough for NL_SET_ERR_MSG_FMT(), which keeps 80 bytes. */
#define OSTUNE_MSG_MAX		80

extern unsigned int ostune_default_watchdog_ms;
extern struct genl_family ostune_nl_family;

/* context.c: the one context every knob access runs in */

/*
 * Serialises the held knobs and every knob access. Taken only on the
 * module's worker (and by KUnit), never by a request handler.
 */
extern struct mutex ostune_lock;
/* The module's worker: knob access, restores, the watchdog. */
extern struct workqueue_struct *ostune_wq;

enum ostune_fs_id {
	OSTUNE_FS_PROC,
	OSTUNE_FS_SYSFS,
	OSTUNE_FS_DEBUGFS,
};

int ostune_context_init(void);
void ostune_context_exit(void);
int ostune_call(int (*fn)(void *arg), void *arg);
struct file *ostune_fs_open(enum ostune_fs_id fs, const char *path,
			    bool write);
int ostune_fs_error(enum ostune_fs_id fs);

/*
 * What went wrong in a request: the message for extack and the attribute
 * it is about (the entry's nest, or the attribute inside it).
 */
struct ostune_err {
	char msg[OSTUNE_MSG_MAX];
	const struct nlattr *attr;
};

__printf(3, 4)
void ostune_err_set(struct ostune_err *err, const struct nlattr *attr,
		    const char *fmt, ...);

/* knob.c: names and classes */

struct ostune_knob;
struct ostune_knob_file;

/*
 * A knob class: how its names map to kernel objects and how values are read
 * and written. A knob is opened once per transaction entry or restore, and
 * read and written through that handle, always on the module's worker.
 * read() returns the value with whitespace runs folded to one space, so
 * values compare as strings.
 */
struct ostune_class {
	const char *prefix;
	/*
	 * Optional, for classes sharing a prefix: whether the name after
	 * "<prefix>." is this class's. A name goes to the first class of
	 * its prefix that owns it or has no owns().
	 */
	bool (*owns)(const char *sub);
	/*
	 * Checks the name, finds the knob on this host and opens it; with
	 * write, for changing it too. On failure why says what is wrong.
	 * A file-backed knob is opened with ostune_fs_open() and nothing
	 * else. Where a number can come to name another object (an IRQ
	 * freed and allocated again), open fills kf->ident with what tells
	 * them apart.
	 */
	int (*open)(struct ostune_knob_file *kf, bool write, char *why,
		    size_t len);
	/* Optional. */
	void (*close)(struct ostune_knob_file *kf);
	int (*check_value)(const struct ostune_knob *knob, const char *value,
			   char *why, size_t len);
	int (*read)(struct ostune_knob_file *kf, char *buf, size_t size);
	int (*write)(struct ostune_knob_file *kf, const char *value);
	/*
	 * Optional. 1 when this change must come after the others of its
	 * transaction (e.g. raising a frequency minimum after its maximum).
	 */
	int (*apply_late)(struct ostune_knob_file *kf, const char *value);
	/*
	 * Optional. True when the knob, open for reading, would take no new
	 * value whoever asked: what user space cannot tell from the file
	 * mode (6.1 shows an IRQ the kernel cannot move as writable).
	 */
	bool (*fixed)(struct ostune_knob_file *kf);
	/*
	 * The object behind a name that is gone (open says -ENOENT) never
	 * comes back as the same one (an IRQ number), so a held knob of it
	 * is let go rather than retried.
	 */
	bool absent_is_gone;
	/*
	 * Optional: set up, and drop everything the class holds. A class
	 * the host cannot offer (cpufreq disabled) still loads, and its
	 * open() says why.
	 */
	int (*init)(void);
	void (*exit)(void);
};

struct ostune_knob {
	const struct ostune_class *class;
	char name[OSTUNE_NAME_MAX];
	/* name without the class prefix and its dot */
	const char *sub;
};

/* Which object a knob's name stood for when it was opened. */
struct ostune_ident {
	unsigned long v[2];
};

/* An open knob; knob is NULL when it is not open. */
struct ostune_knob_file {
	const struct ostune_knob *knob;
	struct file *file;
	/* the class's own: the u32 behind a sched tunable */
	void *data;
	struct ostune_ident ident;
};

extern const struct ostune_class ostune_sched_class;
extern const struct ostune_class ostune_sysctl_class;
extern const struct ostune_class ostune_idle_class;
extern const struct ostune_class ostune_pmqos_class;
extern const struct ostune_class ostune_freq_class;
extern const struct ostune_class ostune_freqpolicy_class;
extern const struct ostune_class ostune_irq_class;
extern const struct ostune_class ostune_mm_class;
extern const struct ostune_class ostune_wq_class;
extern const struct ostune_class ostune_nic_class;
extern const struct ostune_class ostune_niccoal_class;

/*
 * class_nic.c: the record of a network device knobs are open on, which
 * its netdevice notifier marks gone (unregistered, renamed, moved to
 * another namespace), letting go of both nic classes' held knobs on it.
 */
struct net_device;
struct nic_dev;
struct nic_dev *ostune_nic_dev_get(const struct net_device *dev);
void ostune_nic_dev_put(struct nic_dev *nd);
unsigned long ostune_nic_dev_serial(const struct nic_dev *nd);
bool ostune_nic_dev_is(struct nic_dev *nd, const struct net_device *dev);
struct net_device *ostune_nic_lookup(const char *ifname, char *why,
				     size_t len);
int ostune_nic_parse_u32(const char *value, u32 *v);

int ostune_classes_init(void);
void ostune_classes_exit(void);
const char *ostune_parse_index(const char *s, const char *prefix,
			       unsigned int *index);
int ostune_parse_qos_value(const char *value, s32 max, s32 *out,
			   char *why, size_t len);

int ostune_parse_cpulist(const char *value, bool none_ok,
			 struct cpumask *mask, char *why, size_t len);
int ostune_check_cpulist(const char *value, bool none_ok, char *why,
			 size_t len);
int ostune_knob_parse(struct ostune_knob *knob, const char *name, char *why,
		      size_t len);
int ostune_knob_open(struct ostune_knob_file *kf,
		     const struct ostune_knob *knob, bool write, char *why,
		     size_t len);
void ostune_knob_close(struct ostune_knob_file *kf);
int ostune_knob_read_once(const struct ostune_knob *knob, char *buf,
			  size_t size);
bool ostune_value_printable(const char *value);
int ostune_text_open(struct ostune_knob_file *kf, enum ostune_fs_id fs,
		     const char *path, bool write);
void ostune_text_close(struct ostune_knob_file *kf);
int ostune_text_read(struct ostune_knob_file *kf, char *buf, size_t size);
int ostune_text_write(struct ostune_knob_file *kf, const char *value);

/* event.c: the kernel log line and the events multicast */

struct ostune_actor {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	enum ostune_reason reason;
	u32 txn_id;
};

void ostune_actor_current(struct ostune_actor *who, enum ostune_reason reason);
void ostune_report_change(const struct ostune_actor *who, const char *name,
			  const char *old, const char *new);
void ostune_report_external(const struct ostune_actor *who, const char *name,
			    const char *current_value, const char *written);
void ostune_report_failure(const struct ostune_actor *who, const char *name,
			   const char *wanted, int err);
void ostune_report_gone(const struct ostune_actor *who, const char *name);
void ostune_events_stop(void);
const char *ostune_reason_name(enum ostune_reason reason);

/* txn.c: transactions and originals */

struct ostune_held {
	struct list_head node;
	struct ostune_knob knob;
	/*
	 * Open while held, so a restore needs no lookup; closed after an
	 * I/O error, and opened again (and the object compared) next time.
	 */
	struct ostune_knob_file kf;
	struct ostune_ident ident;
	char original[OSTUNE_VALUE_MAX];
	/* what the knob read after ostune's last write to it */
	char last_written[OSTUNE_VALUE_MAX];
	/* the open session changed it; session_prev is what it found */
	bool in_session;
	char session_prev[OSTUNE_VALUE_MAX];
	/*
	 * A rollback or undo could not put it back: ostune owes it the
	 * value owed, and retries until it lands or someone else changes
	 * the knob.
	 */
	bool owes;
	char owed[OSTUNE_VALUE_MAX];
};

/* Held knobs in order of first change. */
extern struct list_head ostune_held_list;
extern unsigned int ostune_held_count;

struct ostune_apply_entry {
	const struct nlattr *nest;
	const char *name;
	const char *value;
};

int ostune_txn_apply(const struct ostune_apply_entry *entries,
		     unsigned int count, bool in_session,
		     struct ostune_actor *who, u32 *txn_id,
		     struct ostune_err *err);
int ostune_restore_named(const struct nlattr *const *nests,
			 const char *const *names, unsigned int count,
			 const struct ostune_actor *who, struct ostune_err *err);
int ostune_restore_all(const struct ostune_actor *who);
void ostune_undo_session(const struct ostune_actor *who);
void ostune_txn_exit(const struct ostune_actor *who);
void ostune_forget(const struct ostune_class *class);
void ostune_drop_gone(const struct ostune_class *class,
		      bool (*gone)(struct ostune_knob_file *kf),
		      const struct ostune_actor *who);

/* session.c: the writer session, its lease and its socket */

/* Who sent a request: its socket and port id. */
struct ostune_caller {
	const struct sock *sk;
	u32 portid;
};

struct ostune_session_info {
	u32 id;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u32 portid;
	u32 watchdog_ms;
	u32 remaining_ms;
};

int ostune_session_init(void);
void ostune_session_exit(void);
/* 0 when the caller may write now; otherwise why not, with err filled. */
int ostune_session_check_writer(const struct ostune_caller *caller,
				bool *owner, struct ostune_err *err);
int ostune_session_open(const struct ostune_caller *caller, u32 watchdog_ms,
			struct ostune_session_info *info,
			struct ostune_err *err);
int ostune_session_close(const struct ostune_caller *caller,
			 struct ostune_err *err);
int ostune_session_heartbeat(const struct ostune_caller *caller,
			     u32 watchdog_ms, struct ostune_err *err);
bool ostune_session_get(struct ostune_session_info *info);
void ostune_session_unload(const struct ostune_actor *who);

#if IS_ENABLED(CONFIG_KUNIT)
/* kmod/tests/: the KUnit stand-in knob class, and the internals tested. */
extern const struct ostune_class ostune_kunit_class;
void value_fold(char *buf);
extern unsigned int owed_retry_ms;
bool retry_owed(void);
bool sysctl_name_valid(const char *sub);
bool sysctl_pattern_match(const char *pattern, const char *name);
const char *sysctl_refusal(const char *sub);
u32 lease_or_default(u32 watchdog_ms);
#endif

#endif /* _OSTUNE_H */
