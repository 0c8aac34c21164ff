/* test_log.c - unit tests of the container log file: records split at '\n' and LOG_LINE_MAX, rotation by size and
 * count, the reader's joining of P records, --tail across rotated files, timestamps, hostile files, a 100 MB
 * roundtrip, and follow beside a writer thread. Must never touch anything but the scratch directories it makes. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/log.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* the CRI record, as log.bats checks it too, with what this writer puts in the timestamp */
#define RECORD_RE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z (stdout|stderr) [FP] "
#define HEADER_LEN 40 /* what the writer puts before each record's text */

static int dir_make(void **state)
{
	*state = unit_tmpdir();
	return 0;
}

static int dir_remove(void **state)
{
	unit_rmtree(*state);
	free(*state);
	return 0;
}

static char *in_dir(void **state, const char *name)
{
	return xasprintf("%s/%s", (char *)*state, name);
}

static struct log_writer *writer_open(const char *path, int64_t max_size, int max_files)
{
	struct log_writer *w = NULL;
	hull_err err = NULL;
	if (log_writer_open(&w, path, max_size, max_files, &err) < 0)
		fail_msg("log_writer_open: %s", err->msg);
	return w;
}

static void put(struct log_writer *w, enum log_stream s, const char *text)
{
	hull_err err = NULL;
	if (log_writer_write(w, s, text, strlen(text), &err) < 0)
		fail_msg("log_writer_write: %s", err->msg);
}

static void flush(struct log_writer *w)
{
	hull_err err = NULL;
	if (log_writer_flush(w, &err) < 0)
		fail_msg("log_writer_flush: %s", err->msg);
}

static char *file_text(const char *path)
{
	char *text = NULL;
	hull_err err = NULL;
	if (fs_read_file(AT_FDCWD, path, &text, NULL, &err) < 0)
		fail_msg("%s", err->msg);
	return text;
}

static int64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : st.st_size;
}

/* The whole content of a memfd, NUL-terminated. */
static char *memfd_text(int fd, size_t *len)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char *buf = xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

struct got {
	char *out, *err;
	size_t out_len;
};

static void got_free(struct got *g)
{
	free(g->out);
	free(g->err);
}

/* log_read into two memfds; the return value and error (when wanted) to the caller */
static int log_get_opts(const char *path, struct log_read_opts *o, struct got *g, hull_err *err)
{
	_cleanup_close_ int out = memfd_create("out", MFD_CLOEXEC);
	_cleanup_close_ int errfd = memfd_create("err", MFD_CLOEXEC);
	assert_true(out >= 0 && errfd >= 0);
	o->out_fd = out;
	o->err_fd = errfd;
	int ret = log_read(path, o, err);
	g->out = memfd_text(out, &g->out_len);
	g->err = memfd_text(errfd, NULL);
	return ret;
}

static struct got log_get(const char *path, int64_t tail, bool timestamps)
{
	struct log_read_opts o = { .tail = tail, .timestamps = timestamps };
	struct got g;
	hull_err err = NULL;
	if (log_get_opts(path, &o, &g, &err) < 0)
		fail_msg("log_read: %s", err->msg);
	return g;
}

/* Each line of the file matches RECORD_RE and, after the timestamp, equals the next of want (NULL-terminated). */
static void assert_records(const char *path, const char *const *want)
{
	_cleanup_free_ char *text = file_text(path);
	regex_t re;
	assert_int_equal(regcomp(&re, RECORD_RE, REG_EXTENDED | REG_NOSUB), 0);
	char *line = text;
	size_t i = 0;
	for (char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1, i++) {
		*nl = '\0';
		if (regexec(&re, line, 0, NULL, 0) != 0)
			fail_msg("record %zu is not CRI: \"%.80s\"", i, line);
		if (want[i] == NULL)
			fail_msg("record %zu is one too many: \"%.80s\"", i, line);
		if (strcmp(line + 31, want[i]) != 0)
			fail_msg("record %zu: \"%.80s\", want \"%.80s\"", i, line + 31, want[i]);
	}
	assert_string_equal(line, "");
	assert_null(want[i]);
	regfree(&re);
}

static void lines_become_F_records_and_rests_wait(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 0, 1);
	put(w, LOG_STDOUT, "a\nbc");
	put(w, LOG_STDERR, "err");
	put(w, LOG_STDOUT, "d\n\n");
	put(w, LOG_STDERR, "or\n");
	assert_records(path, (const char *const[]){ "stdout F a", "stdout F bcd", "stdout F ", "stderr F error", NULL });
	log_writer_close(&w);
	assert_null(w);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void a_rest_over_LOG_LINE_MAX_goes_out_as_P(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 0, 1);
	_cleanup_free_ char *big = xmalloc(LOG_LINE_MAX + 12);
	memset(big, 'x', LOG_LINE_MAX + 10);
	strcpy(big + LOG_LINE_MAX + 10, "y");
	put(w, LOG_STDOUT, big);
	/* a line of exactly LOG_LINE_MAX is one F record, even when its '\n' comes in the next write */
	memset(big, 'z', LOG_LINE_MAX);
	big[LOG_LINE_MAX] = '\0';
	put(w, LOG_STDERR, big);
	put(w, LOG_STDERR, "\n");
	put(w, LOG_STDOUT, "\n");
	_cleanup_free_ char *p = xasprintf("stdout P %.*s", LOG_LINE_MAX, big);
	memset(p + 9, 'x', LOG_LINE_MAX);
	_cleanup_free_ char *e = xasprintf("stderr F %s", big);
	assert_records(path, (const char *const[]){ p, e, "stdout F xxxxxxxxxxy", NULL });
	struct got g = log_get(path, -1, false);
	assert_int_equal(strlen(g.out), LOG_LINE_MAX + 12);
	assert_int_equal(strspn(g.out, "x"), LOG_LINE_MAX + 10);
	assert_string_equal(g.out + LOG_LINE_MAX + 10, "y\n");
	assert_int_equal(strlen(g.err), LOG_LINE_MAX + 1);
	got_free(&g);
	log_writer_close(&w);
}

static void flush_puts_the_rests_out_as_P(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 0, 1);
	put(w, LOG_STDOUT, "abc");
	put(w, LOG_STDERR, "def");
	assert_int_equal(file_size(path), 0);
	flush(w);
	flush(w);
	assert_records(path, (const char *const[]){ "stdout P abc", "stderr P def", NULL });
	struct got g = log_get(path, -1, false);
	assert_string_equal(g.out, "abc");
	assert_string_equal(g.err, "def");
	got_free(&g);
	log_writer_close(&w);
}

/* log_get's output is "line N\n" for consecutive N ending at last; returns the first N */
static int consecutive_lines_ending_at(const char *out, int last)
{
	int first = -1, prev = -1, n, used;
	for (const char *p = out; *p; p += used) {
		used = 0;
		if (sscanf(p, "line %d\n%n", &n, &used) != 1 || used == 0)
			fail_msg("not a line: \"%.40s\"", p);
		if (prev >= 0 && n != prev + 1)
			fail_msg("line %d after %d", n, prev);
		if (first < 0)
			first = n;
		prev = n;
	}
	assert_int_equal(prev, last);
	return first;
}

static void rotation_keeps_max_files_each_under_max_size(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	/* an existing file counts: 3000 bytes already there */
	_cleanup_free_ char *junk = xmalloc(3001);
	memset(junk, '#', 2999);
	strcpy(junk + 2999, "\n");
	unit_write(*state, "ctr.log", junk);
	const int64_t max = 4096;
	struct log_writer *w = writer_open(path, max, 3);
	char line[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "line %05d\n", i);
		put(w, LOG_STDOUT, line);
		if (i == 20) /* 3000 bytes and 21 records of 51: 4071 */
			assert_int_equal(file_size(path), 3000 + 21 * (HEADER_LEN + 11));
		if (i == 21)
			assert_int_equal(file_size(path), HEADER_LEN + 11);
	}
	log_writer_close(&w);
	const int64_t record = HEADER_LEN + 11;
	for (int i = 0; i < 3; i++) {
		_cleanup_free_ char *name = i ? xasprintf("%s.%d", path, i) : xstrdup(path);
		int64_t size = file_size(name);
		assert_true(size > 0 && size <= max);
		assert_int_equal(size % record, 0);
		if (i > 0) /* a rotated file was full: one more record would not fit */
			assert_true(size + record > max);
	}
	_cleanup_free_ char *gone = xasprintf("%s.3", path);
	assert_int_equal(file_size(gone), -1);
	struct got g = log_get(path, -1, false);
	int first = consecutive_lines_ending_at(g.out, 999);
	assert_int_equal((1000 - first) * (record - HEADER_LEN),
			 strlen(g.out));
	assert_true(first > 1000 - 3 * (max / record) - 1);
	got_free(&g);
}

static void a_record_over_max_size_goes_alone_into_a_file(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 100, 5);
	char big[302];
	memset(big, 'x', 300);
	strcpy(big + 300, "\n");
	put(w, LOG_STDOUT, "a\n");
	put(w, LOG_STDOUT, big);
	put(w, LOG_STDOUT, "b\n");
	log_writer_close(&w);
	_cleanup_free_ char *p1 = xasprintf("%s.1", path);
	_cleanup_free_ char *p2 = xasprintf("%s.2", path);
	assert_int_equal(file_size(path), HEADER_LEN + 2);
	assert_int_equal(file_size(p1), HEADER_LEN + 301);
	assert_int_equal(file_size(p2), HEADER_LEN + 2);
	struct got g = log_get(path, -1, false);
	big[300] = '\0';
	_cleanup_free_ char *want = xasprintf("a\n%s\nb\n", big);
	assert_string_equal(g.out, want);
	got_free(&g);
}

static void max_files_one_keeps_only_the_live_file(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 200, 1);
	char line[32];
	for (int i = 0; i < 50; i++) {
		snprintf(line, sizeof(line), "line %05d\n", i);
		put(w, LOG_STDOUT, line);
	}
	log_writer_close(&w);
	_cleanup_free_ char *p1 = xasprintf("%s.1", path);
	assert_int_equal(file_size(p1), -1);
	assert_true(file_size(path) <= 200);
	struct got g = log_get(path, -1, false);
	consecutive_lines_ending_at(g.out, 49);
	got_free(&g);
}

static const char joined[] = "2026-12-07T04:50:00.1Z stdout P hel\n"
			     "2026-12-07T04:50:00.2+01:00 stderr F oops\n"
			     "2026-12-07T04:50:00.300000000-05:30 stdout F lo\n"
			     "2026-12-07T04:50:01Z stdout F x\n";

static void the_reader_joins_P_records_of_a_stream(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	unit_write(*state, "ctr.log", joined);
	struct got g = log_get(path, -1, false);
	assert_string_equal(g.out, "hello\nx\n");
	assert_string_equal(g.err, "oops\n");
	got_free(&g);
}

static void timestamps_prefix_each_full_line(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	unit_write(*state, "ctr.log", joined);
	struct got g = log_get(path, -1, true);
	assert_string_equal(g.out, "2026-12-07T04:50:00.1Z hello\n2026-12-07T04:50:01Z x\n");
	assert_string_equal(g.err, "2026-12-07T04:50:00.2+01:00 oops\n");
	got_free(&g);
	/* and what the writer stamps is now, in UTC */
	unit_write(*state, "ctr.log", "");
	struct log_writer *w = writer_open(path, 0, 1);
	time_t before = time(NULL);
	put(w, LOG_STDOUT, "now\n");
	log_writer_close(&w);
	g = log_get(path, -1, true);
	struct tm tm = { 0 };
	char *rest = strptime(g.out, "%Y-%m-%dT%H:%M:%S", &tm);
	assert_non_null(rest);
	time_t t = timegm(&tm);
	assert_true(t >= before && t <= before + 2);
	assert_true(strlen(rest) == strlen(".123456789Z now\n") && rest[0] == '.' && rest[10] == 'Z');
	got_free(&g);
}

static void malformed_records_are_skipped(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	const char *lines[] = {
		"garbage\n",
		"\n",
		"2026-12-07T04:50:00Z stdin F no\n",
		"2026-12-07 04:50:00Z stdout F no\n",
		"2026-12-07T04:50:00.1234567890Z stdout F no\n",
		"2026-12-07T04:50:00.Z stdout F no\n",
		"2026-12-07T04:50:00+0100 stdout F no\n",
		"2026-12-07T04:50:00 stdout F no\n",
		"2026-12-07T04:50:00Z stdout X no\n",
		"2026-12-07T04:50:00Z stdout FF no\n",
		"2026-12-07T04:50:00Z stdout\n",
		"2026-12-07T04:50:00Z stdout F:x yes1\n",
		"2026-12-07T04:50:00Z stdout F\n",
		"2026-12-07T04:50:00Z\n",
		"2026-12-07T04:50:00Z stdout F ok\n",
	};
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		assert_int_equal(write(fd, lines[i], strlen(lines[i])), (ssize_t)strlen(lines[i]));
		if (i == 5) { /* NULs and a line longer than any record: 300 KiB before its '\n' */
			static char junk[300 << 10];
			memset(junk, 'j', sizeof(junk));
			junk[7] = '\0';
			memcpy(junk + 100, "\n2026-12-07T04:50:00Z stdout F ", 31);
			junk[sizeof(junk) - 1] = '\n';
			assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
		}
	}
	/* a record cut short (a writer killed): printed when the file is read to its end */
	assert_int_equal(write(fd, "2026-12-07T04:50:00Z stderr F last", 34), 34);
	struct got g = log_get(path, -1, false);
	assert_string_equal(g.out, "yes1\n\nok\n");
	assert_string_equal(g.err, "last\n");
	got_free(&g);
	const struct {
		int64_t tail;
		const char *out, *err;
	} tails[] = { { 0, "", "" }, { 1, "", "last\n" }, { 2, "ok\n", "last\n" }, { 3, "\nok\n", "last\n" },
		      { 4, "yes1\n\nok\n", "last\n" }, { 100, "yes1\n\nok\n", "last\n" } };
	for (size_t i = 0; i < ARRAY_SIZE(tails); i++) {
		g = log_get(path, tails[i].tail, false);
		if (strcmp(g.out, tails[i].out) != 0 || strcmp(g.err, tails[i].err) != 0)
			fail_msg("tail %lld: \"%s\" \"%s\"", (long long)tails[i].tail, g.out, g.err);
		got_free(&g);
	}
}

static void tail_counts_full_lines_across_rotated_files(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, 4096, 4);
	char line[32];
	const int n = 200; /* in three files: none removed, so that no line lost its first part */
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "line %05d\n", i);
		if (i % 7 == 0) { /* a line in two records: P then F */
			put(w, LOG_STDOUT, "line ");
			flush(w);
		}
		put(w, LOG_STDOUT, i % 7 == 0 ? line + 5 : line);
	}
	log_writer_close(&w);
	_cleanup_free_ char *p2 = xasprintf("%s.2", path);
	assert_true(file_size(p2) > 0);
	struct got all = log_get(path, -1, false);
	assert_int_equal(consecutive_lines_ending_at(all.out, n - 1), 0);
	const int64_t tails[] = { 0, 1, 2, 6, 7, 8, 50, n - 1, n, n + 1, 1000 };
	for (size_t i = 0; i < ARRAY_SIZE(tails); i++) {
		struct got g = log_get(path, tails[i], false);
		int64_t want = tails[i] < n ? tails[i] : n;
		size_t from = strlen(all.out) - (size_t)want * 11;
		if (strcmp(g.out, all.out + from) != 0)
			fail_msg("tail %lld: got %zu bytes from line \"%.11s\"", (long long)tails[i], strlen(g.out), g.out);
		got_free(&g);
	}
	got_free(&all);
}

static void tail_keeps_a_line_begun_before_the_cut(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	unit_write(*state, "ctr.log",
		   "2026-12-07T04:50:00Z stdout F zero\n"
		   "2026-12-07T04:50:00Z stdout P abc\n"
		   "2026-12-07T04:50:00Z stderr F e1\n"
		   "2026-12-07T04:50:00Z stdout F def\n"
		   "2026-12-07T04:50:00Z stderr F e2\n");
	const struct {
		int64_t tail;
		const char *out, *err;
	} tails[] = { { 1, "", "e2\n" }, { 2, "abcdef\n", "e2\n" }, { 3, "abcdef\n", "e1\ne2\n" },
		      { 4, "zero\nabcdef\n", "e1\ne2\n" } };
	for (size_t i = 0; i < ARRAY_SIZE(tails); i++) {
		struct got g = log_get(path, tails[i].tail, false);
		if (strcmp(g.out, tails[i].out) != 0 || strcmp(g.err, tails[i].err) != 0)
			fail_msg("tail %lld: \"%s\" \"%s\"", (long long)tails[i].tail, g.out, g.err);
		got_free(&g);
	}
}

/* xorshift: the same bytes for the writer and the check */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define ROUNDTRIP_BYTES ((size_t)100 << 20)
#define ROUNDTRIP_CHUNK ((size_t)64 << 10)
enum { GEN_BLOCK = 1 << 20, GEN_LONG_LINE = LOG_LINE_MAX * 2 + 5 };

/* The roundtrip's bytes, made twice (for the writer, and for the check of what is read) rather than kept: first
 * touches of 100 MB cost half a second in a VM. Lines of 0 to 199 bytes, every 4096th one longer than LOG_LINE_MAX,
 * slices of a block of random printable bytes; the last byte is no '\n' (a rest at the end). */
struct gen {
	const char *block;
	uint64_t seed;
	size_t nth, made;
	const char *src;
	size_t left; /* of the current line */
	bool newline; /* the current line's '\n' is still to come */
};

static void gen_fill(struct gen *g, char *buf, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (g->left == 0 && !g->newline) {
			uint64_t r = next_random(&g->seed);
			g->left = g->nth++ % 4096 == 4095 ? GEN_LONG_LINE : r % 200;
			g->src = g->block + (r >> 32) % (GEN_BLOCK - GEN_LONG_LINE);
			g->newline = true;
		}
		if (g->left > 0) {
			size_t k = g->left < n - i ? g->left : n - i;
			memcpy(buf + i, g->src, k);
			g->src += k;
			g->left -= k;
			i += k;
		} else {
			buf[i++] = '\n';
			g->newline = false;
		}
	}
	g->made += n;
	if (g->made == ROUNDTRIP_BYTES)
		buf[n - 1] = 'x';
}

struct gen_check {
	int fd;
	struct gen gen;
	size_t got;
	bool differs;
};

/* Read the pipe to its end, comparing with what was made. */
static void *gen_check_thread(void *arg)
{
	struct gen_check *c = arg;
	static char want[ROUNDTRIP_CHUNK], got[ROUNDTRIP_CHUNK];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(c->fd, got + have, sizeof(got) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			have += (size_t)n;
		if (have == sizeof(got) || (n <= 0 && have > 0)) {
			if (c->got + have > ROUNDTRIP_BYTES)
				c->differs = true;
			else {
				gen_fill(&c->gen, want, have);
				c->differs |= memcmp(want, got, have) != 0;
			}
			c->got += have;
			have = 0;
		}
		if (n <= 0)
			return NULL;
	}
}

static void a_100MB_roundtrip_is_byte_equal(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	_cleanup_free_ char *block = xmalloc(GEN_BLOCK);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < GEN_BLOCK; i++)
		block[i] = (char)(' ' + next_random(&seed) % 95);
	struct gen gen = { .block = block, .seed = seed };
	static char chunk[ROUNDTRIP_CHUNK];
	struct log_writer *w = writer_open(path, 0, 1);
	hull_err err = NULL;
	for (size_t off = 0; off < ROUNDTRIP_BYTES; off += sizeof(chunk)) {
		gen_fill(&gen, chunk, sizeof(chunk));
		if (log_writer_write(w, LOG_STDOUT, chunk, sizeof(chunk), &err) < 0)
			fail_msg("%s", err->msg);
	}
	flush(w);
	log_writer_close(&w);
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	struct gen_check check = { .fd = p[0], .gen = { .block = block, .seed = seed } };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, gen_check_thread, &check), 0);
	_cleanup_close_ int errfd = memfd_create("err", MFD_CLOEXEC);
	struct log_read_opts o = { .tail = -1, .out_fd = p[1], .err_fd = errfd };
	int ret = log_read(path, &o, &err);
	close(p[1]);
	pthread_join(t, NULL);
	close(p[0]);
	if (ret < 0)
		fail_msg("%s", err->msg);
	assert_int_equal(check.got, ROUNDTRIP_BYTES);
	assert_false(check.differs);
	_cleanup_free_ char *errtext = memfd_text(errfd, NULL);
	assert_string_equal(errtext, "");
}

struct follow_writer {
	char *path;
	int first, last;        /* lines [first, last) */
	atomic_bool reader_up;  /* done() was asked once: the reader has read what was there */
	bool wait_reader;
	atomic_bool done;
};

#define FOLLOW_MAX_SIZE 2048
#define FOLLOW_MAX_FILES 500

/* "line N\n" for N in [first, last): stdout, but every third on stderr; every fifth with its '\n' in a write of
 * its own (a rest that waits) */
static void lines_write(struct log_writer *w, int first, int last)
{
	char line[32];
	for (int i = first; i < last; i++) {
		snprintf(line, sizeof(line), "line %05d\n", i);
		size_t len = strlen(line) - (i % 5 == 0);
		enum log_stream s = i % 3 ? LOG_STDOUT : LOG_STDERR;
		hull_err err = NULL;
		if (log_writer_write(w, s, line, len, &err) < 0 ||
		    (len < strlen(line) && log_writer_write(w, s, "\n", 1, &err) < 0))
			fail_msg("%s", err->msg);
		if (i % 100 == 0)
			usleep(2000);
	}
}

/* what lines_write(first, last) prints on one stream */
static char *lines_want(int first, int last, enum log_stream s)
{
	char *want = xmalloc((size_t)(last - first) * 11 + 1);
	size_t len = 0;
	want[0] = '\0';
	for (int i = first; i < last; i++)
		if ((i % 3 ? LOG_STDOUT : LOG_STDERR) == s)
			len += (size_t)sprintf(want + len, "line %05d\n", i);
	return want;
}

static void *writer_thread(void *arg)
{
	struct follow_writer *fw = arg;
	if (fw->wait_reader) {
		for (int i = 0; i < 10000 && !atomic_load(&fw->reader_up); i++)
			usleep(1000);
	} else {
		usleep(50 * 1000); /* the reader is waiting before the file exists */
	}
	struct log_writer *w = writer_open(fw->path, FOLLOW_MAX_SIZE, FOLLOW_MAX_FILES);
	lines_write(w, fw->first, fw->last);
	log_writer_close(&w);
	atomic_store(&fw->done, true);
	return NULL;
}

static bool writer_done(void *arg)
{
	struct follow_writer *fw = arg;
	atomic_store(&fw->reader_up, true);
	return atomic_load(&fw->done);
}

static void follow_with(struct follow_writer *fw, int64_t tail, struct got *g)
{
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, writer_thread, fw), 0);
	struct log_read_opts o = { .tail = tail, .follow = true, .done = writer_done, .arg = fw };
	hull_err err = NULL;
	int ret = log_get_opts(fw->path, &o, g, &err);
	pthread_join(t, NULL);
	if (ret < 0)
		fail_msg("%s", err->msg);
}

static void follow_reads_a_writer_until_done(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct follow_writer fw = { .path = path, .first = 0, .last = 3000 };
	struct got g;
	follow_with(&fw, -1, &g);
	_cleanup_free_ char *want_out = lines_want(0, 3000, LOG_STDOUT);
	_cleanup_free_ char *want_err = lines_want(0, 3000, LOG_STDERR);
	assert_string_equal(g.out, want_out);
	assert_string_equal(g.err, want_err);
	_cleanup_free_ char *rotated = xasprintf("%s.10", path);
	assert_true(file_size(rotated) > 0);
	got_free(&g);
}

static void follow_after_tail_goes_on_across_rotations(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	struct log_writer *w = writer_open(path, FOLLOW_MAX_SIZE, FOLLOW_MAX_FILES);
	lines_write(w, 0, 100);
	log_writer_close(&w);
	/* the last two lines there: 98 on stdout, 99 on stderr; then all the writer adds */
	struct follow_writer fw = { .path = path, .first = 100, .last = 2000, .wait_reader = true };
	struct got g;
	follow_with(&fw, 2, &g);
	_cleanup_free_ char *new_out = lines_want(100, 2000, LOG_STDOUT);
	_cleanup_free_ char *new_err = lines_want(100, 2000, LOG_STDERR);
	_cleanup_free_ char *want_out = xasprintf("line 00098\n%s", new_out);
	_cleanup_free_ char *want_err = xasprintf("line 00099\n%s", new_err);
	assert_string_equal(g.out, want_out);
	assert_string_equal(g.err, want_err);
	got_free(&g);
}

static bool done_at_once(void *arg)
{
	(void)arg;
	return true;
}

static void follow_with_tail_0_prints_only_what_comes_after(void **state)
{
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	unit_write(*state, "ctr.log", "2026-12-07T04:50:00Z stdout F old\n");
	struct log_read_opts o = { .tail = 0, .follow = true, .done = done_at_once };
	struct got g;
	hull_err err = NULL;
	assert_int_equal(log_get_opts(path, &o, &g, &err), 0);
	assert_string_equal(g.out, "");
	got_free(&g);
	o.tail = -1;
	assert_int_equal(log_get_opts(path, &o, &g, &err), 0);
	assert_string_equal(g.out, "old\n");
	got_free(&g);
}

static void errors_name_the_path(void **state)
{
	hull_err err = NULL;
	struct log_writer *w = NULL;
	_cleanup_free_ char *nodir = in_dir(state, "none/ctr.log");
	assert_int_equal(log_writer_open(&w, nodir, 0, 1, &err), -1);
	assert_int_equal(err->errnum, ENOENT);
	assert_non_null(strstr(err->msg, nodir));
	hull_err_free(&err);
	_cleanup_free_ char *path = in_dir(state, "ctr.log");
	assert_int_equal(log_writer_open(&w, path, 0, 0, &err), -1);
	assert_int_equal(err->errnum, EINVAL);
	assert_non_null(strstr(err->msg, path));
	hull_err_free(&err);
	assert_int_equal(log_writer_open(&w, path, -1, 2, &err), -1);
	hull_err_free(&err);
	w = writer_open(path, 0, 1);
	assert_int_equal(log_writer_write(w, 3, "x", 1, &err), -1);
	assert_int_equal(err->errnum, EINVAL);
	hull_err_free(&err);
	log_writer_close(&w);
	unlink(path);
	struct log_read_opts o = { .tail = -1 };
	struct got g;
	assert_int_equal(log_get_opts(path, &o, &g, &err), -1);
	assert_int_equal(err->errnum, ENOENT);
	assert_non_null(strstr(err->msg, path));
	hull_err_free(&err);
	got_free(&g);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, dir_make, dir_remove)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(lines_become_F_records_and_rests_wait),
		TEST(a_rest_over_LOG_LINE_MAX_goes_out_as_P),
		TEST(flush_puts_the_rests_out_as_P),
		TEST(rotation_keeps_max_files_each_under_max_size),
		TEST(a_record_over_max_size_goes_alone_into_a_file),
		TEST(max_files_one_keeps_only_the_live_file),
		TEST(the_reader_joins_P_records_of_a_stream),
		TEST(timestamps_prefix_each_full_line),
		TEST(malformed_records_are_skipped),
		TEST(tail_counts_full_lines_across_rotated_files),
		TEST(tail_keeps_a_line_begun_before_the_cut),
		TEST(a_100MB_roundtrip_is_byte_equal),
		TEST(follow_reads_a_writer_until_done),
		TEST(follow_after_tail_goes_on_across_rotations),
		TEST(follow_with_tail_0_prints_only_what_comes_after),
		TEST(errors_name_the_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
