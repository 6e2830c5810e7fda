// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The llm tuner without a model: its prompt, the schema, reading answers
 * (fenced, prose, out of the space or its domains), the key kept out of
 * every output, and `ostune tune` end to end on the client double against
 * tests/llm/scripted-server.py, which answers from a script and records
 * what it was asked: refusals and fallbacks, heartbeats while waiting,
 * llm.jsonl and a resumed run replaying it.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <jansson.h>

#include "knobs/discover.h"
#include "search/llm_answer.h"
#include "search/llm_log.h"
#include "search/llm_prompt.h"
#include "search/tuner.h"
#include "unit.h"

#define KEY "sk-test-0f1e2d3c4b5a-SECRET"
/* what a cut copy of the key still holds: leaking it is leaking the key */
#define KEY_HEAD "sk-test-0f1e"
#define KEY_ENV "OSTUNE_TEST_LLM_KEY"

static const char *const SPACE =
	"{\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100},"
	" \"sched.nr_migrate\": {\"min\": 4, \"max\": 128, \"scale\": \"log\"},"
	" \"sysctl.net.ipv4.tcp_congestion_control\": {\"values\": [\"cubic\", \"reno\"]}}";

struct fixture {
	struct space space;
	struct objective objective;
	struct constraint constraint;
	json_t *baseline_knobs;
	struct tuner_context context;
	struct tuner_problem problem;
	double x[3][3];
	struct tuner_observation obs[3];
	struct knob_list known;
};

static void setup(struct test_ctx *t, struct fixture *f)
{
	json_t *spec = json_loads(SPACE, 0, NULL);
	char why[256];
	size_t i;

	memset(f, 0, sizeof(*f));
	CHECK_INT(t, space_from_json(spec, &f->space, why, sizeof(why)), 0);
	json_decref(spec);
	f->objective = (struct objective){ .metric = "latency_us", .goal = GOAL_MINIMIZE };
	f->constraint = (struct constraint){ .metric = "ops_per_s", .op = CMP_GE, .bound = 5000 };
	f->baseline_knobs = json_pack("{s:s,s:s,s:s}", "sysctl.vm.swappiness", "60",
				      "sched.nr_migrate", "32",
				      "sysctl.net.ipv4.tcp_congestion_control", "cubic");
	f->context = (struct tuner_context){ .dir = t->tmpdir,
					     .baseline_knobs = f->baseline_knobs };
	/* the space's order is the spec's */
	for (i = 0; i < 3; i++) {
		f->x[i][0] = 60 - 20 * (double)i;	/* swappiness */
		f->x[i][1] = 32 + (double)i;		/* sched.nr_migrate */
		f->x[i][2] = (double)(i % 2);		/* congestion control */
		f->obs[i] = (struct tuner_observation){
			.x = f->x[i], .objectives = { 100 - (double)i, NAN },
			.spread = 0.05, .windows = 3, .feasible = true,
			.baseline = i == 0,
		};
	}
	f->obs[2] = (struct tuner_observation){
		.x = f->x[2], .objectives = { NAN, NAN }, .spread = NAN,
		.failed = true, .error = "apply: Invalid argument: out of range",
	};
	f->problem = (struct tuner_problem){
		.space = &f->space, .objectives = &f->objective, .nobjectives = 1,
		.constraints = &f->constraint, .nconstraints = 1, .seed = 1,
		.budget = 10, .context = &f->context,
	};
}

static void teardown(struct fixture *f)
{
	space_free(&f->space);
	json_decref(f->baseline_knobs);
}

static void prompt_names_every_knob_its_domain_meaning_and_the_history(struct test_ctx *t)
{
	struct fixture f;
	struct tuner_history h;
	json_t *proxies = json_pack("{s:{s:f,s:f}}", "1", "cpu_busy_pct", 73.5,
				    "ctx_switches_per_s", 12000.0);
	struct llm_facts facts;
	char *text;

	setup(t, &f);
	h = (struct tuner_history){ f.obs, 3 };
	facts = (struct llm_facts){ .problem = &f.problem, .history = &h,
				    .known = &f.known, .proxies = proxies };
	text = llm_prompt_user(&facts);
	CHECK(t, text != NULL);
	CHECK_CONTAINS(t, text, "Minimize the metric latency_us.");
	CHECK_CONTAINS(t, text, "ops_per_s >= 5000");
	CHECK_CONTAINS(t, text, "- sysctl.vm.swappiness: integer 0..100; host value now: 60");
	CHECK_CONTAINS(t, text, "how readily anonymous memory is swapped");
	CHECK_CONTAINS(t, text, "- sched.nr_migrate: integer 4..128 (log scale");
	CHECK_CONTAINS(t, text, "tasks moved at most per load-balancing pass");
	CHECK_CONTAINS(t, text, "host value now: 32");
	CHECK_CONTAINS(t, text, "- sysctl.net.ipv4.tcp_congestion_control: one of \"cubic\", \"reno\"; host value now: cubic");
	CHECK_CONTAINS(t, text, "congestion control algorithm");
	/* the table: every configuration, its spread, proxies and failure */
	CHECK_CONTAINS(t, text, "| sysctl.vm.swappiness | sched.nr_migrate | sysctl.net.ipv4.tcp_congestion_control | latency_us | spread | windows | cpu_busy_pct |");
	CHECK_CONTAINS(t, text, "| 0 (baseline) | 60 | 32 | cubic | 100 | 5% | 3 |");
	CHECK_CONTAINS(t, text, "| 1 | 40 | 33 | reno | 99 | 5% | 3 | 73.5 | - | - | 12000 |");
	CHECK_CONTAINS(t, text, "| 2 | 20 | 34 | cubic | - | - | 0 |");
	CHECK_CONTAINS(t, text, "failed: apply: Invalid argument: out of range |");
	CHECK_CONTAINS(t, text, "{\"sysctl.vm.swappiness\": VALUE, \"sched.nr_migrate\": VALUE, \"sysctl.net.ipv4.tcp_congestion_control\": VALUE}");
	free(text);
	json_decref(proxies);
	teardown(&f);
}

/* Discovery's facts go with each knob: idle state names, frequency ranges, patterns. */
static void prompt_gives_what_discovery_found(struct test_ctx *t)
{
	json_t *spec = json_loads("{\"idle.cpu0.state2.disable\": [0, 1],"
				  " \"freq.policy0.max_khz\": {\"min\": 800000, \"max\": 2400000},"
				  " \"idle.cpu*.state1.disable\": [0, 1]}", 0, NULL);
	struct objective obj = { .metric = "latency_us", .goal = GOAL_MINIMIZE };
	struct tuner_problem p = { .objectives = &obj, .nobjectives = 1 };
	struct tuner_history h = { NULL, 0 };
	struct knob_list known;
	struct llm_facts facts = { .problem = &p, .history = &h, .known = &known };
	struct space space;
	char why[256], *text;

	fixture_hw_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &known), 0);
	CHECK_INT(t, space_from_json(spec, &space, why, sizeof(why)), 0);
	p.space = &space;
	text = llm_prompt_user(&facts);
	CHECK(t, text != NULL);
	CHECK_CONTAINS(t, text, "- idle.cpu0.state2.disable: one of \"0\", \"1\"; host value now: unknown");
	CHECK_CONTAINS(t, text, "1 keeps the governor from entering that idle state");
	CHECK_CONTAINS(t, text, "; kernel domain 0|1; details: name=FAKE-C2, latency=50us, residency=150us");
	CHECK_CONTAINS(t, text, "- freq.policy0.max_khz: integer 800000..2400000");
	CHECK_CONTAINS(t, text, "details: effective=1600000..2400000, available=800000,1200000,1600000,2000000,2400000");
	CHECK_CONTAINS(t, text, "kHz within the hardware range");
	CHECK_CONTAINS(t, text, "a pattern: one value for all 2 knobs it matches here (idle.cpu0.state1.disable, idle.cpu1.state1.disable)");
	CHECK_CONTAINS(t, text, "(nothing measured yet)");
	free(text);
	space_free(&space);
	json_decref(spec);
	knob_list_free(&known);
}

static void schema_bounds_every_knob(struct test_ctx *t)
{
	struct fixture f;
	json_t *schema, *knobs;

	setup(t, &f);
	schema = llm_answer_schema(&f.space, 0);
	knobs = json_object_get(json_object_get(json_object_get(schema, "properties"),
						"knobs"), "properties");
	CHECK_INT(t, json_object_size(knobs), 3);
	CHECK(t, json_number_value(json_object_get(json_object_get(knobs, "sysctl.vm.swappiness"),
						   "maximum")) == 100);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(knobs, "sched.nr_migrate"),
						       "type")), "integer");
	CHECK_STR(t, json_string_value(json_array_get(json_object_get(
		json_object_get(knobs, "sysctl.net.ipv4.tcp_congestion_control"), "enum"), 1)),
		  "reno");
	CHECK_INT(t, json_array_size(json_object_get(json_object_get(
		json_object_get(schema, "properties"), "knobs"), "required")), 3);
	json_decref(schema);
	/* the dual loop's: points, and ranges for the numeric knobs only */
	schema = llm_answer_schema(&f.space, 4);
	knobs = json_object_get(schema, "properties");
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(knobs, "points"),
							"maxItems")), 4);
	CHECK_INT(t, json_object_size(json_object_get(json_object_get(knobs, "ranges"),
						      "properties")), 2);
	CHECK_STR(t, json_string_value(json_array_get(json_object_get(json_object_get(knobs, "ranges"),
								      "required"), 1)), "sched.nr_migrate");
	json_decref(schema);
	teardown(&f);
}

/* The answer text as a point; its return, notes and why. */
static int point_of(struct fixture *f, const char *text, double *x, char *notes,
		    char *why)
{
	double base[3] = { 60, 32, 0 };
	char reason[TUNER_WHY_MAX];
	json_t *answer = llm_answer_object(text, why, 256);
	int ret;

	notes[0] = '\0';
	if (!answer)
		return -ENOENT;
	ret = llm_answer_point(&f->space, base, answer, x, notes, 512, reason,
			       sizeof(reason), why, 256);
	json_decref(answer);
	return ret;
}

static void answers_are_read_defensively(struct test_ctx *t)
{
	char notes[512], why[256];
	struct fixture f;
	double x[3];

	setup(t, &f);
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.vm.swappiness\": 10, \"sched.nr_migrate\": 8,"
			      " \"sysctl.net.ipv4.tcp_congestion_control\": \"reno\"}, \"reason\": \"r\"}",
			      x, notes, why), 0);
	CHECK(t, x[0] == 10 && x[1] == 8 && x[2] == 1);
	CHECK_STR(t, notes, "");
	/* fenced, with quoted numbers and prose around it */
	CHECK_INT(t, point_of(&f, "Sure! Here it is:\n```json\n{\"knobs\": {\"sysctl.vm.swappiness\": \"15\"}}\n```\nGood luck.",
			      x, notes, why), 0);
	CHECK(t, x[0] == 15 && x[1] == 32 && x[2] == 0);
	CHECK_CONTAINS(t, notes, "sched.nr_migrate not given: kept the host's value");
	/* prose with an object inside, no fence */
	CHECK_INT(t, point_of(&f, "I propose {\"knobs\": {\"sched.nr_migrate\": 64}} because.",
			      x, notes, why), 0);
	CHECK(t, x[1] == 64);
	/* out of the domain: projected; outside the space: refused */
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.vm.swappiness\": 150, \"sched.nr_migrate\": 2.6,"
			      " \"sysctl.kernel.modprobe\": \"/tmp/x\", \"sysctl.vm.overcommit_memory\": 1}}",
			      x, notes, why), 0);
	CHECK(t, x[0] == 100 && x[1] == 4);
	CHECK_CONTAINS(t, notes, "sysctl.vm.swappiness 150 projected to 100");
	CHECK_CONTAINS(t, notes, "sched.nr_migrate 2.6 projected to 4");
	CHECK_CONTAINS(t, notes, "refused sysctl.kernel.modprobe: not in the space");
	CHECK_CONTAINS(t, notes, "refused sysctl.vm.overcommit_memory: not in the space");
	/* nothing usable: refused whole */
	CHECK_INT(t, point_of(&f, "I would lower swappiness.", x, notes, why), -ENOENT);
	CHECK_CONTAINS(t, why, "the answer holds no JSON object: \"I would lower swappiness.\"");
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.vm.swappiness\": 1", x, notes, why), -ENOENT);
	CHECK_INT(t, point_of(&f, "", x, notes, why), -ENOENT);
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.kernel.modprobe\": \"/x\"}}", x, notes, why), -EINVAL);
	CHECK_STR(t, why, "the answer sets no knob of the space");
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.vm.swappiness\": \"lots\"}}", x, notes, why), -EINVAL);
	CHECK_STR(t, why, "sysctl.vm.swappiness: not a number");
	CHECK_INT(t, point_of(&f, "{\"knobs\": {\"sysctl.net.ipv4.tcp_congestion_control\": \"bbr\"}}", x, notes, why), -EINVAL);
	CHECK_STR(t, why, "sysctl.net.ipv4.tcp_congestion_control: not one of its values");
	CHECK_INT(t, point_of(&f, "{\"config\": {}}", x, notes, why), -EINVAL);
	CHECK_STR(t, why, "the answer has no \"knobs\" object");
	teardown(&f);
}

/* A listed value given as a number is that value; another number is not. */
static void categorical_values_given_as_numbers(struct test_ctx *t)
{
	json_t *spec = json_loads("{\"sysctl.kernel.timer_migration\": [0, 1]}", 0, NULL);
	char notes[512], why[256], reason[TUNER_WHY_MAX];
	struct space space;
	json_t *answer;
	double x[1];

	CHECK_INT(t, space_from_json(spec, &space, why, sizeof(why)), 0);
	answer = json_loads("{\"knobs\": {\"sysctl.kernel.timer_migration\": 1}}", 0, NULL);
	CHECK_INT(t, llm_answer_point(&space, NULL, answer, x, notes, sizeof(notes), reason,
				      sizeof(reason), why, sizeof(why)), 0);
	CHECK(t, x[0] == 1);
	json_decref(answer);
	answer = json_loads("{\"knobs\": {\"sysctl.kernel.timer_migration\": 2}}", 0, NULL);
	CHECK_INT(t, llm_answer_point(&space, NULL, answer, x, notes, sizeof(notes), reason,
				      sizeof(reason), why, sizeof(why)), -EINVAL);
	CHECK_STR(t, why, "sysctl.kernel.timer_migration: not one of its values");
	json_decref(answer);
	answer = json_loads("{\"knobs\": {\"sysctl.kernel.timer_migration\": true}}", 0, NULL);
	CHECK_INT(t, llm_answer_point(&space, NULL, answer, x, notes, sizeof(notes), reason,
				      sizeof(reason), why, sizeof(why)), -EINVAL);
	json_decref(answer);
	space_free(&space);
	json_decref(spec);
}

/* A knob not given whose host value is outside the space: its middle, not a refusal. */
static void host_values_outside_the_space_are_not_kept(struct test_ctx *t)
{
	double base[3] = { 150, 32, NAN }, x[3];
	char notes[512], why[256], reason[TUNER_WHY_MAX];
	struct fixture f;
	json_t *answer;

	setup(t, &f);
	answer = llm_answer_object("{\"knobs\": {\"sched.nr_migrate\": 64}}", why, sizeof(why));
	CHECK_INT(t, llm_answer_point(&f.space, base, answer, x, notes, sizeof(notes), reason,
				      sizeof(reason), why, sizeof(why)), 0);
	CHECK(t, x[0] == 50 && x[1] == 64 && x[2] == dim_from_unit(&f.space.dims[2], 0.5));
	CHECK_CONTAINS(t, notes, "sysctl.vm.swappiness not given: took the middle of its range");
	CHECK_CONTAINS(t, notes, "sysctl.net.ipv4.tcp_congestion_control not given: took the middle");
	json_decref(answer);
	teardown(&f);
}

static void responses_give_text_and_tokens(struct test_ctx *t)
{
	struct llm_usage u;
	const char *text;
	char why[256];
	json_t *doc;

	CHECK_INT(t, llm_response_text("{\"choices\": [{\"message\": {\"content\": \"hi\"}}],"
				       " \"usage\": {\"prompt_tokens\": 12, \"completion_tokens\": 3}}",
				       &doc, &text, &u, why, sizeof(why)), 0);
	CHECK_STR(t, text, "hi");
	CHECK(t, u.prompt_tokens == 12 && u.completion_tokens == 3);
	json_decref(doc);
	CHECK_INT(t, llm_response_text("{\"error\": \"overloaded\"}", &doc, &text, &u, why,
				       sizeof(why)), -EINVAL);
	CHECK_STR(t, why, "the response has no choices[0].message.content");
	CHECK_INT(t, llm_response_text("<html>", &doc, &text, &u, why, sizeof(why)), -EINVAL);
	CHECK_INT(t, llm_response_text(NULL, &doc, &text, &u, why, sizeof(why)), -EINVAL);
}

static void redaction_replaces_every_copy(struct test_ctx *t)
{
	char *s = llm_redact("a KEY b KEYKEY", "KEY");

	CHECK_STR(t, s, "a [redacted] b [redacted][redacted]");
	free(s);
	s = llm_redact("nothing", NULL);
	CHECK_STR(t, s, "nothing");
	free(s);
}

static int create(struct fixture *f, const char *options, char *why, size_t len,
		  struct tuner *tu)
{
	json_t *o = json_loads(options, 0, NULL);
	int ret;

	f->problem.options = o;
	f->problem.context = NULL;
	ret = tuner_create(tu, json_string_value(json_object_get(o, "name")), &f->problem,
			   why, len);
	if (!ret)
		tuner_destroy(tu);
	json_decref(o);
	return ret;
}

static void options_are_checked(struct test_ctx *t)
{
	struct fixture f;
	struct tuner tu;
	char why[512], opts[600];

	setup(t, &f);
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"model\": \"m\", \"timeout_s\": 5,"
			    " \"max_calls\": 3, \"temperature\": 0.5}", why, sizeof(why), &tu), 0);
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"modle\": \"m\"}", why, sizeof(why), &tu), -EINVAL);
	CHECK_CONTAINS(t, why, "tuner llm: unknown option 'modle' (it takes: endpoint, model, api_key_env");
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"endpoint\": \"ftp://x\"}", why, sizeof(why), &tu), -EINVAL);
	CHECK_CONTAINS(t, why, "endpoint is the API's base URL");
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"timeout_s\": 0}", why, sizeof(why), &tu), -EINVAL);
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"temperature\": 3}", why, sizeof(why), &tu), -EINVAL);
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"max_calls\": -1}", why, sizeof(why), &tu), -EINVAL);
	unsetenv("OSTUNE_TEST_UNSET_KEY");
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"api_key_env\": \"OSTUNE_TEST_UNSET_KEY\"}",
			    why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm: api_key_env: OSTUNE_TEST_UNSET_KEY is not set");
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"api_key_file\": \"/nonexistent/key\"}",
			    why, sizeof(why), &tu), -EINVAL);
	CHECK_CONTAINS(t, why, "api_key_file /nonexistent/key: No such file or directory");
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"api_key_file\": \"k\", \"api_key_env\": \"k\"}",
			    why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm: give api_key_env or api_key_file, not both");
	fixture_file(t, "key", KEY "\n", 0600);
	snprintf(opts, sizeof(opts), "{\"name\": \"llm\", \"api_key_file\": \"%s\"}",
		 fixture_path(t, "key"));
	CHECK_INT(t, create(&f, opts, why, sizeof(why), &tu), 0);
	fixture_file(t, "key", "\n", 0600);
	CHECK_INT(t, create(&f, opts, why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm: api_key_file is empty");
	/* the file's first line is the key; a control character in it is refused */
	fixture_file(t, "key", KEY "\n# the test endpoint's\n", 0600);
	CHECK_INT(t, create(&f, opts, why, sizeof(why), &tu), 0);
	fixture_file(t, "key", "sk-\x01" KEY "\n", 0600);
	CHECK_INT(t, create(&f, opts, why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm: api_key_file holds more than a key (a line break or another control character)");
	CHECK(t, !strstr(why, KEY_HEAD));
	/* a line break in the variable would start a header of its own */
	setenv("OSTUNE_TEST_BAD_KEY", KEY "\r\nX-Injected: 1", 1);
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"api_key_env\": \"OSTUNE_TEST_BAD_KEY\"}",
			    why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm: api_key_env holds more than a key (a line break or another control character)");
	unsetenv("OSTUNE_TEST_BAD_KEY");
	/* the dual loop's own options, which the single loop does not take */
	CHECK_INT(t, create(&f, "{\"name\": \"llm\", \"points\": 2}", why, sizeof(why), &tu), -EINVAL);
	CHECK_CONTAINS(t, why, "tuner llm: unknown option 'points'");
	CHECK_INT(t, create(&f, "{\"name\": \"llm+bo\", \"points\": 2, \"reask_every\": 4}",
			    why, sizeof(why), &tu), 0);
	CHECK_INT(t, create(&f, "{\"name\": \"llm+bo\", \"reask_every\": 0}", why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm+bo: reask_every is a count, 1 to 1000");
	CHECK_INT(t, create(&f, "{\"name\": \"llm+bo\", \"points\": 21}", why, sizeof(why), &tu), -EINVAL);
	CHECK_STR(t, why, "tuner llm+bo: points is a count, 1 to 20");
	teardown(&f);
}

/* ---- end to end, against the scripted server ---- */

struct server {
	pid_t pid;
	char url[128];
};

/* Starts the server on script (JSON text); its files in tmpdir/server. */
static void start_server(struct test_ctx *t, struct server *s, const char *script)
{
	char path[600], dir[300], port[16] = "";
	FILE *f;
	int i;

	fixture_file(t, "server/script.json", script, 0644);
	snprintf(dir, sizeof(dir), "%s/server", t->tmpdir);
	snprintf(path, sizeof(path), "%s/script.json", dir);
	s->pid = fork();
	if (s->pid == 0) {
		execlp("python3", "python3", "tests/llm/scripted-server.py", path, dir,
		       (char *)NULL);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s/port", dir);
	/* it starts as slowly as the machine lets it: no deadline but a sanity one */
	for (i = 0; i < 3000 && !(f = fopen(path, "r")); i++)
		usleep(10000);
	CHECK(t, f != NULL);
	if (f) {
		CHECK(t, fgets(port, sizeof(port), f) != NULL);
		fclose(f);
	}
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%s/v1", port);
}

static void stop_server(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

static void write_llm_config(struct test_ctx *t, const struct server *s,
			     unsigned int iterations, const char *watchdog_s,
			     const char *extra)
{
	/* "llm+bo" when extra asks for the dual loop */
	const char *name = strstr(extra, "reask_every") ? "llm+bo" : "llm";
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\"target\": {\"type\": \"command\", \"shell\": \"echo lat=$OSTUNE_WINDOW_S\","
		 "             \"metrics\": {\"lat\": {\"key\": \"lat\"}}},"
		 " \"objective\": {\"metric\": \"lat\", \"goal\": \"minimize\"},"
		 " \"space\": {\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100},"
		 "            \"sched.nr_migrate\": {\"min\": 4, \"max\": 128}},"
		 " \"window\": {\"seconds\": 0.05, \"warmup\": 0, \"repeats\": 2, \"settle_s\": 0,"
		 "            \"max_spread\": 10, \"anchor_every\": 0},"
		 " \"budget\": {\"iterations\": %u}, \"seed\": 3, \"watchdog_s\": %s,"
		 " \"verify\": false,"
		 " \"tuner\": {\"name\": \"%s\", \"endpoint\": \"%s\", \"model\": \"scripted\","
		 "           \"api_key_env\": \"" KEY_ENV "\"%s},"
		 " \"output\": \"%s/out\"}", iterations, watchdog_s, name, s->url, extra,
		 t->tmpdir);
	fixture_file(t, "c.json", text, 0644);
}

/* `ostune tune` (iterations) against a server answering from script. */
static void run_llm(struct test_ctx *t, struct cli_run *r, const char *script,
		    unsigned int iterations, const char *watchdog_s,
		    const char *extra)
{
	struct server s;

	remove(fixture_path(t, "server/port"));
	start_server(t, &s, script);
	write_llm_config(t, &s, iterations, watchdog_s, extra);
	run_fake(t, r, "tune", fixture_path(t, "c.json"), NULL);
	stop_server(&s);
	CHECK_INT(t, r->status, 0);
}

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int c;

	while (f && (c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	if (f)
		fclose(f);
	return text;
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (; text && (text = strstr(text, needle)); text++)
		n++;
	return n;
}

/* No file of dir (and its subdirectories) holds the key, nor its start. */
static void check_no_key(struct test_ctx *t, const char *dir)
{
	char path[1024];
	struct dirent *e;
	DIR *d = opendir(dir);
	char *text;

	CHECK(t, d != NULL);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			check_no_key(t, path);
			continue;
		}
		text = slurp_file(path);
		if (strstr(text, KEY_HEAD))
			test_fail(t, __FILE__, __LINE__, "%s holds the key", path);
		free(text);
	}
	if (d)
		closedir(d);
}

/* The history's "why" of iteration i (its first window line). */
static const char *why_of(json_t *lines, unsigned int i)
{
	json_t *l;
	size_t k;

	json_array_foreach(lines, k, l)
		if (json_integer_value(json_object_get(l, "iteration")) == i &&
		    json_object_get(l, "why"))
			return json_string_value(json_object_get(l, "why"));
	return "";
}

static json_t *load_lines(const char *path)
{
	json_t *lines = json_array();
	char *text = slurp_file(path), *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(lines, json_loads(line, 0, NULL));
	free(text);
	return lines;
}

static const char *const MIXED_SCRIPT =
	"[{\"content\": \"{\\\"knobs\\\": {\\\"sysctl.vm.swappiness\\\": 10, \\\"sched.nr_migrate\\\": 8},"
	"   \\\"reason\\\": \\\"less swapping, fewer migrations\\\"}\"},"
	" {\"content\": \"Here you go:\\n```json\\n{\\\"knobs\\\": {\\\"sysctl.vm.swappiness\\\": 150,"
	"   \\\"sched.nr_migrate\\\": 16, \\\"sysctl.kernel.modprobe\\\": \\\"/tmp/evil\\\"},"
	"   \\\"reason\\\": \\\"more\\\"}\\n```\"},"
	" {\"content\": \"{knobs: swappiness=5\"},"
	" {\"status\": 429, \"body\": \"{\\\"error\\\": \\\"rate limited\\\"}\"},"
	" {\"content\": \"{\\\"knobs\\\": {\\\"sysctl.vm.swappiness\\\": 50, \\\"sched.nr_migrate\\\": 64},"
	"   \\\"reason\\\": \\\"middle\\\"}\"},"
	" {\"status\": 500, \"body\": \"oops\"},"
	" {\"content\": \"I think you should lower the swappiness.\"},"
	" {\"content\": \"{\\\"knobs\\\": {\\\"sysctl.kernel.sched_rt_runtime_us\\\": -1}}\"}]";

static void tune_llm_proposes_refuses_and_falls_back(struct test_ctx *t)
{
	char history[512], llm[512], requests[512], fake[512];
	struct cli_run r;
	json_t *lines, *summary, *stats, *reqs, *first, *later;
	char *log;
	const char *prompt;

	setenv(KEY_ENV, KEY, 1);
	run_llm(t, &r, MIXED_SCRIPT, 8, "3", "");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	snprintf(llm, sizeof(llm), "%s/out/llm.jsonl", t->tmpdir);
	snprintf(requests, sizeof(requests), "%s/server/requests.jsonl", t->tmpdir);
	snprintf(fake, sizeof(fake), "%s/.fake.log", t->tmpdir);
	lines = load_lines(history);
	CHECK_STR(t, why_of(lines, 1), "llm: less swapping, fewer migrations");
	CHECK_CONTAINS(t, why_of(lines, 2), "llm: more [sysctl.vm.swappiness 150 projected to 100; refused sysctl.kernel.modprobe: not in the space]");
	CHECK_CONTAINS(t, why_of(lines, 3), "bo, as the model failed (the answer holds no JSON object");
	CHECK_CONTAINS(t, why_of(lines, 4), "bo, as the model failed (HTTP 429 (rate-limited)): ");
	CHECK_STR(t, why_of(lines, 5), "llm: middle");
	CHECK_CONTAINS(t, why_of(lines, 6), "bo, as the model failed (HTTP 500): ");
	CHECK_CONTAINS(t, why_of(lines, 7), "bo, as the model failed (the answer holds no JSON object: \"I think");
	CHECK_CONTAINS(t, why_of(lines, 8), "bo, as the model failed (the answer sets no knob of the space): ");
	json_decref(lines);
	/* what reached the module: the proposals, projected; nothing else */
	log = slurp_file(fake);
	CHECK_CONTAINS(t, log, "apply sysctl.vm.swappiness=10\napply sched.nr_migrate=8\n");
	CHECK_CONTAINS(t, log, "sysctl.vm.swappiness=100");
	CHECK_INT(t, count(log, "modprobe"), 0);
	CHECK_INT(t, count(log, "sched_rt"), 0);
	CHECK_INT(t, count(log, "=150"), 0);
	free(log);
	/* one record per suggestion, the refusals with them */
	lines = load_lines(llm);
	CHECK_INT(t, json_array_size(lines), 8);
	CHECK(t, json_is_true(json_object_get(json_array_get(lines, 3), "fallback")));
	CHECK_INT(t, json_integer_value(json_object_get(json_array_get(lines, 3), "status")), 429);
	CHECK_STR(t, json_string_value(json_object_get(json_array_get(lines, 1), "notes")),
		  "sysctl.vm.swappiness 150 projected to 100; refused sysctl.kernel.modprobe: not in the space");
	json_decref(lines);
	/* what the model was told */
	reqs = load_lines(requests);
	CHECK_INT(t, json_array_size(reqs), 8);
	first = json_array_get(reqs, 0);
	CHECK_STR(t, json_string_value(json_object_get(first, "path")), "/v1/chat/completions");
	CHECK_STR(t, json_string_value(json_object_get(first, "authorization")), "Bearer " KEY);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(first, "body"), "model")), "scripted");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(json_object_get(first, "body"),
		  "response_format"), "type")), "json_schema");
	prompt = json_string_value(json_object_get(json_array_get(json_object_get(
		json_object_get(first, "body"), "messages"), 1), "content"));
	CHECK_CONTAINS(t, prompt, "- sysctl.vm.swappiness: integer 0..100; host value now: ");
	CHECK_CONTAINS(t, prompt, "- sched.nr_migrate: integer 4..128; host value now: ");
	CHECK_CONTAINS(t, prompt, "Minimize the metric lat.");
	CHECK_CONTAINS(t, prompt, "| 0 (baseline) |");
	later = json_array_get(reqs, 6);
	prompt = json_string_value(json_object_get(json_array_get(json_object_get(
		json_object_get(later, "body"), "messages"), 1), "content"));
	CHECK_CONTAINS(t, prompt, "## History (7 configurations measured");
	CHECK_CONTAINS(t, prompt, "| 1 | 10 | 8 | 0.05 |");
	CHECK_CONTAINS(t, prompt, "| 2 | 100 | 16 | 0.05 |");
	json_decref(reqs);
	/* the costs */
	summary = json_load_file(fixture_path(t, "out/summary.json"), 0, NULL);
	stats = json_object_get(summary, "tuner_stats");
	CHECK_INT(t, json_integer_value(json_object_get(stats, "calls")), 8);
	CHECK_INT(t, json_integer_value(json_object_get(stats, "fallbacks")), 5);
	/* 1000 + n prompt tokens for the n-th request, when it was answered */
	CHECK_INT(t, json_integer_value(json_object_get(stats, "prompt_tokens")),
		  1001 + 1002 + 1003 + 1005 + 1007 + 1008);
	CHECK_INT(t, json_integer_value(json_object_get(stats, "completion_tokens")), 6 * 20);
	json_decref(summary);
	/* the key: sent in the header, written nowhere */
	check_no_key(t, fixture_path(t, "out"));
	CHECK(t, !strstr(r.out, KEY) && !strstr(r.err, KEY));
	unsetenv(KEY_ENV);
}

static const char *const GOOD =
	"{\"content\": \"{\\\"knobs\\\": {\\\"sysctl.vm.swappiness\\\": %u,"
	" \\\"sched.nr_migrate\\\": %u}, \\\"reason\\\": \\\"try %u\\\"}\"%s}";

/* A script of n good proposals, each delayed by delay_s ("" for none). */
static void good_script(char *buf, size_t len, unsigned int n, const char *delay)
{
	size_t used = (size_t)snprintf(buf, len, "[");
	unsigned int i;

	for (i = 0; i < n && used < len; i++) {
		used += (size_t)snprintf(buf + used, len - used, "%s", i ? ", " : "");
		used += (size_t)snprintf(buf + used, len - used, GOOD, 5 + 7 * i,
					 4 + 9 * i, i, delay);
	}
	if (used < len)
		snprintf(buf + used, len - used, "]");
}

static size_t heartbeats_before_apply(const char *log)
{
	const char *apply = strstr(log, "apply ");
	size_t n = 0;
	const char *p;

	for (p = log; (p = strstr(p, "heartbeat")) && (!apply || p < apply); p++)
		n++;
	return n;
}

static void tune_llm_beats_while_waiting_and_times_out(struct test_ctx *t)
{
	char script[2048], *log;
	struct cli_run r;
	json_t *lines;

	/* 3 s for the answer: the session's 1 s lease is beaten meanwhile */
	good_script(script, sizeof(script), 1, ", \"delay_s\": 3");
	setenv(KEY_ENV, KEY, 1);
	run_llm(t, &r, script, 1, "1", ", \"timeout_s\": 30");
	log = slurp_file(fixture_path(t, ".fake.log"));
	/*
	 * a beat every 333 ms or so, about seven in the wait; fewer than three and
	 * the 1 s lease would have run out (not a timing bound: the count)
	 */
	CHECK(t, heartbeats_before_apply(log) >= 3);
	CHECK_CONTAINS(t, log, "apply sysctl.vm.swappiness=5");
	free(log);

	/* an answer later than timeout_s: bo, and the run goes on */
	good_script(script, sizeof(script), 1, ", \"delay_s\": 4");
	remove(fixture_path(t, "out/history.jsonl"));
	run_llm(t, &r, script, 1, "1", ", \"timeout_s\": 0.5");
	lines = load_lines(fixture_path(t, "out/history.jsonl"));
	CHECK_CONTAINS(t, why_of(lines, 1), "bo, as the model failed (no answer within 0.5 s): ");
	json_decref(lines);
	lines = load_lines(fixture_path(t, "out/llm.jsonl"));
	CHECK_INT(t, json_array_size(lines), 1);
	CHECK_STR(t, json_string_value(json_object_get(json_array_get(lines, 0), "transport_error")),
		  "no answer within 0.5 s");
	json_decref(lines);
	unsetenv(KEY_ENV);
}

/* A failing endpoint is left alone for a while after three failures in a row. */
static void tune_llm_backs_off_a_failing_endpoint(struct test_ctx *t)
{
	struct cli_run r;
	json_t *lines;
	unsigned int i;

	setenv(KEY_ENV, KEY, 1);
	run_llm(t, &r, "[{\"status\": 500, \"body\": \"down\"}]", 9, "3", "");
	/* suggestions 0, 1, 2 ask; 3 to 6 do not; 7 asks once more; 8 waits again */
	lines = load_lines(fixture_path(t, "server/requests.jsonl"));
	CHECK_INT(t, json_array_size(lines), 4);
	json_decref(lines);
	lines = load_lines(fixture_path(t, "out/history.jsonl"));
	for (i = 1; i <= 9; i++)
		CHECK_CONTAINS(t, why_of(lines, i), i != 8 && i >= 4 ?
			       "bo, as the model failed (3 answers in a row were no proposal; asked again after 4 without it): " :
			       "bo, as the model failed (HTTP 500): ");
	json_decref(lines);
	lines = load_lines(fixture_path(t, "out/llm.jsonl"));
	CHECK_INT(t, json_array_size(lines), 9);
	json_decref(lines);
	unsetenv(KEY_ENV);
}

/*
 * An endpoint that echoes the key back, in a reason or in prose whose
 * quote in the refusal is cut short: neither the key nor a cut copy of it
 * reaches a file or the output.
 */
static void tune_llm_scrubs_an_echoed_key(struct test_ctx *t)
{
	struct cli_run r;
	json_t *lines;

	setenv(KEY_ENV, KEY, 1);
	run_llm(t, &r, "[{\"content\": \"{\\\"knobs\\\": {\\\"sysctl.vm.swappiness\\\": 10},"
		" \\\"reason\\\": \\\"your key is " KEY "\\\"}\"},"
		" {\"content\": \"Sorry, no proposal from me today. The key you sent is " KEY ".\"}]",
		2, "3", "");
	lines = load_lines(fixture_path(t, "out/history.jsonl"));
	CHECK_STR(t, why_of(lines, 1), "llm: your key is " LLM_REDACTED " [sched.nr_migrate not given: kept the host's value]");
	CHECK_CONTAINS(t, why_of(lines, 2), "The key you sent is " LLM_REDACTED ".\"): ");
	json_decref(lines);
	check_no_key(t, fixture_path(t, "out"));
	CHECK(t, !strstr(r.out, KEY_HEAD) && !strstr(r.err, KEY_HEAD));
	unsetenv(KEY_ENV);
}

static const char *const PLAN_SCRIPT =
	"[{\"content\": \"{\\\"points\\\": [{\\\"sysctl.vm.swappiness\\\": 10, \\\"sched.nr_migrate\\\": 8},"
	"   {\\\"sysctl.vm.swappiness\\\": 20, \\\"sched.nr_migrate\\\": 300},"
	"   {\\\"sysctl.vm.swappiness\\\": 60, \\\"sched.nr_migrate\\\": 9}],"
	"   \\\"ranges\\\": {\\\"sysctl.vm.swappiness\\\": {\\\"min\\\": -10, \\\"max\\\": 50},"
	"   \\\"sched.nr_migrate\\\": {\\\"min\\\": 200, \\\"max\\\": 100}}, \\\"reason\\\": \\\"low\\\"}\"},"
	" {\"content\": \"{\\\"points\\\": [], \\\"ranges\\\": {\\\"sysctl.vm.swappiness\\\":"
	"   {\\\"min\\\": 30, \\\"max\\\": 40}}, \\\"reason\\\": \\\"around 35\\\"}\"}]";

/* The swappiness iteration i applied, from its first history line. */
static long swappiness_of(json_t *lines, unsigned int i)
{
	json_t *l;
	size_t k;

	json_array_foreach(lines, k, l)
		if (json_integer_value(json_object_get(l, "iteration")) == i &&
		    json_object_get(l, "knobs"))
			return atol(json_string_value(json_object_get(json_object_get(l, "knobs"),
								      "sysctl.vm.swappiness")) ?: "-1");
	return -1;
}

static void tune_llm_bo_searches_inside_the_models_ranges(struct test_ctx *t)
{
	struct cli_run r;
	json_t *lines, *reqs, *body;
	unsigned int i;

	setenv(KEY_ENV, KEY, 1);
	run_llm(t, &r, PLAN_SCRIPT, 6, "3", ", \"reask_every\": 3, \"points\": 2");
	/* asked at suggestions 0 and 3 only */
	reqs = load_lines(fixture_path(t, "server/requests.jsonl"));
	CHECK_INT(t, json_array_size(reqs), 2);
	body = json_object_get(json_array_get(reqs, 0), "body");
	CHECK_CONTAINS(t, json_string_value(json_object_get(json_array_get(
		json_object_get(body, "messages"), 0), "content")), "together with a Bayesian optimiser");
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(json_object_get(
		json_object_get(json_object_get(json_object_get(body, "response_format"), "json_schema"),
				"schema"), "properties"), "points"), "maxItems")), 2);
	json_decref(reqs);
	lines = load_lines(fixture_path(t, "out/llm.jsonl"));
	CHECK_INT(t, json_array_size(lines), 2);
	json_decref(lines);
	lines = load_lines(fixture_path(t, "out/history.jsonl"));
	CHECK_STR(t, why_of(lines, 1), "llm: point 1 of 2: low [range of sched.nr_migrate: empty once inside its domain]");
	CHECK_CONTAINS(t, why_of(lines, 2), "llm: point 2 of 2: low [range of sched.nr_migrate: empty once inside its domain; sched.nr_migrate 300 projected to 128]");
	CHECK(t, swappiness_of(lines, 1) == 10 && swappiness_of(lines, 2) == 20);
	/* a third point, beyond "points": 2, is not measured */
	CHECK_CONTAINS(t, why_of(lines, 3), "bo inside the model's ranges: ");
	CHECK(t, swappiness_of(lines, 3) >= 0 && swappiness_of(lines, 3) <= 50);
	for (i = 4; i <= 6; i++) {
		CHECK_CONTAINS(t, why_of(lines, i), "bo inside the model's ranges: ");
		CHECK(t, swappiness_of(lines, i) >= 30 && swappiness_of(lines, i) <= 40);
	}
	json_decref(lines);
	check_no_key(t, fixture_path(t, "out"));
	unsetenv(KEY_ENV);
}

/* Ctrl-C while the model thinks: the run stops at once, restored. */
static void tune_llm_wait_ends_on_ctrl_c(struct test_ctx *t)
{
	char script[2048];
	struct server s;
	struct cli_run r;
	json_t *records;
	pid_t pid;
	int i;

	good_script(script, sizeof(script), 1, ", \"delay_s\": 60");
	start_server(t, &s, script);
	setenv(KEY_ENV, KEY, 1);
	write_llm_config(t, &s, 3, "3", ", \"timeout_s\": 120");
	pid = start_fake(t, "tune", fixture_path(t, "c.json"), NULL);
	for (i = 0; i < 2000 && access(fixture_path(t, "server/requests.jsonl"), F_OK); i++)
		usleep(10000);
	kill(pid, SIGINT);
	finish_cli(t, &r, pid);
	stop_server(&s);
	CHECK_INT(t, r.status, 128 + SIGINT);
	CHECK_CONTAINS(t, r.err, "tune stopped (interrupted); the knobs are restored");
	CHECK_CONTAINS(t, r.log, "session_close");
	/* the unanswered question is not recorded: a resumed run asks it */
	records = load_lines(fixture_path(t, "out/llm.jsonl"));
	CHECK_INT(t, json_array_size(records), 0);
	json_decref(records);
	unsetenv(KEY_ENV);
}

/*
 * The run is killed while it measures suggestion 2 (its target stalls on
 * swappiness 19, "try 2", once); the server, asked again, would answer
 * "try 3", so the resumed run's iteration 3 says which it did.
 */
static void tune_llm_resume_replays_the_answers(struct test_ctx *t)
{
	char script[8192], history[512], target[1024], *log;
	struct server s;
	struct cli_run r;
	json_t *lines, *records, *reqs, *doc;
	unsigned int i;
	pid_t pid;

	good_script(script, sizeof(script), 12, "");
	start_server(t, &s, script);
	setenv(KEY_ENV, KEY, 1);
	write_llm_config(t, &s, 10, "3", "");
	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"if grep -q swappiness=19 \\\"$OSTUNE_FAKE_LOG\\\""
		 " && [ ! -e %s/stalled ]; then touch %s/stalled; sleep 9; fi; echo lat=1\","
		 " \"metrics\": {\"lat\": {\"key\": \"lat\"}}}", t->tmpdir, t->tmpdir);
	doc = json_load_file(fixture_path(t, "c.json"), 0, NULL);
	json_object_set_new(doc, "target", json_loads(target, 0, NULL));
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
	pid = start_fake(t, "tune", fixture_path(t, "c.json"), NULL);
	for (i = 0; i < 2000 && access(fixture_path(t, "stalled"), F_OK); i++)
		usleep(10000);
	kill(pid, SIGKILL);
	finish_cli(t, &r, pid);
	CHECK_INT(t, r.status, 128 + SIGKILL);
	records = load_lines(fixture_path(t, "out/llm.jsonl"));
	CHECK_INT(t, json_array_size(records), 3);
	json_decref(records);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	stop_server(&s);
	CHECK_INT(t, r.status, 0);
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	records = load_lines(fixture_path(t, "out/llm.jsonl"));
	reqs = load_lines(fixture_path(t, "server/requests.jsonl"));
	lines = load_lines(history);
	/* each suggestion asked once: the resumed run replayed "try 2" */
	CHECK_INT(t, json_array_size(records), 10);
	CHECK_INT(t, json_array_size(reqs), 10);
	for (i = 1; i <= 10; i++) {
		char want[32];

		snprintf(want, sizeof(want), "llm: try %u", i - 1);
		CHECK_STR(t, why_of(lines, i), want);
		CHECK_INT(t, json_integer_value(json_object_get(json_array_get(records, i - 1),
							        "suggestion")), i - 1);
	}
	log = slurp_file(fixture_path(t, ".fake.log"));
	CHECK_CONTAINS(t, log, "apply sysctl.vm.swappiness=19\n");
	free(log);
	json_decref(records);
	json_decref(reqs);
	json_decref(lines);
	check_no_key(t, fixture_path(t, "out"));
	unsetenv(KEY_ENV);
}

SUITE(llm_suite, "llm",
	CASE(prompt_names_every_knob_its_domain_meaning_and_the_history),
	CASE(prompt_gives_what_discovery_found),
	CASE(schema_bounds_every_knob),
	CASE(answers_are_read_defensively),
	CASE(responses_give_text_and_tokens),
	CASE(host_values_outside_the_space_are_not_kept),
	CASE(categorical_values_given_as_numbers),
	CASE(redaction_replaces_every_copy),
	CASE(options_are_checked),
	CASE(tune_llm_proposes_refuses_and_falls_back),
	CASE(tune_llm_beats_while_waiting_and_times_out),
	CASE(tune_llm_wait_ends_on_ctrl_c),
	CASE(tune_llm_scrubs_an_echoed_key),
	CASE(tune_llm_backs_off_a_failing_endpoint),
	CASE(tune_llm_bo_searches_inside_the_models_ranges),
	CASE(tune_llm_resume_replays_the_answers),
);
