/* log.c - a container's log file in the CRI format (conmon's k8s-file): records gathered per write call and written
 * whole, rotated by size, read back oldest first, from the tail, and followed across rotations.
 * Must never split a record between two write(2)s or two files, nor trust a byte of a file it reads.
 *
 * The timestamp is UTC with nine fraction digits and a Z ("2026-12-07T04:50:00.123456789Z", fixed width), as
 * containerd's CRI writes it but for the trailing zeros it drops; conmon writes local time with an offset
 * ("...123456789+00:00"). Both are RFC3339Nano, which podman's and the kubelet's readers parse; this reader accepts
 * either, and fractions of one to nine digits. One timestamp is taken per write call: every record of one chunk of
 * output carries the same time. log_writer_close does not flush: the caller flushes first, to see the error.
 *
 * Size rule: a file never grows past max_size, except when a single record is longer than max_size (a max_size below
 * LOG_RECORD_MAX): that record goes alone into a fresh file. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "monitor/log.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

/* "2026-12-07T04:50:00.123456789Z" */
#define LOG_TS_LEN 30
/* the timestamp, " stdout ", the tag and a space */
#define LOG_HEADER_LEN (LOG_TS_LEN + 10)
#define LOG_TAG_AT (LOG_TS_LEN + 8)
#define LOG_RECORD_MAX (LOG_HEADER_LEN + LOG_LINE_MAX + 1)
/* the records of one write call are gathered up to this many bytes per write(2) */
#define LOG_BATCH_MAX ((size_t)1 << 20)
/* the reader's buffer; a line longer than this is no record of any writer (conmon's are 8 KiB, ours 16 KiB): skipped */
#define LOG_READ_BUF ((size_t)256 << 10)
/* the backward reader of --tail reads blocks of this size from the end */
#define LOG_TAIL_BLOCK ((size_t)64 << 10)
/* rotated files the reader looks for: path.1 ... path.(LOG_FILES_MAX - 1) */
#define LOG_FILES_MAX 1000
/* follow: how long to wait for an inotify event before looking again (and asking done()) */
#define LOG_FOLLOW_POLL_MS 200

static const char *const stream_names[] = { [LOG_STDOUT] = "stdout", [LOG_STDERR] = "stderr" };

struct log_rest {
	char buf[LOG_LINE_MAX];
	size_t len;
};

struct log_writer {
	char *path;
	int fd;
	int64_t size; /* bytes in the live file, the batch not counted */
	int64_t max_size;
	int max_files;
	char *batch;
	size_t batch_len;
	char header[LOG_HEADER_LEN]; /* of the current write call: its timestamp and stream */
	struct log_rest rest[LOG_STDERR + 1];
};

static bool stream_valid(enum log_stream s)
{
	return s == LOG_STDOUT || s == LOG_STDERR;
}

static void put_digits(char *p, unsigned long v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void timestamp_now(char out[LOG_TS_LEN])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	memcpy(out, "0000-00-00T00:00:00.000000000Z", LOG_TS_LEN);
	put_digits(out, (unsigned long)tm.tm_year + 1900, 4);
	put_digits(out + 5, (unsigned long)tm.tm_mon + 1, 2);
	put_digits(out + 8, (unsigned long)tm.tm_mday, 2);
	put_digits(out + 11, (unsigned long)tm.tm_hour, 2);
	put_digits(out + 14, (unsigned long)tm.tm_min, 2);
	put_digits(out + 17, (unsigned long)tm.tm_sec, 2);
	put_digits(out + 20, (unsigned long)ts.tv_nsec, 9);
}

static void header_set_stream(struct log_writer *w, enum log_stream s)
{
	char *p = w->header + LOG_TS_LEN;
	*p++ = ' ';
	memcpy(p, stream_names[s], 6);
	p[6] = ' ';
	p[8] = ' ';
}

/* write(2) until all of data is in the file: one call unless interrupted or short */
static int write_whole(int fd, const char *data, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		if (n > 0)
			done += (size_t)n;
	}
	return 0;
}

static int open_live(const char *path, hull_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return hull_fail_sys(err, "open log %s", path);
	return fd;
}

int log_writer_open(struct log_writer **out, const char *path, int64_t max_size, int max_files, hull_err *err)
{
	if (max_size < 0 || max_files < 1 || max_files >= LOG_FILES_MAX)
		return hull_fail_code(err, EINVAL, "log %s: max size %lld and %d files: want a size >= 0 and 1 to %d files",
				      path, (long long)max_size, max_files, LOG_FILES_MAX - 1);
	_cleanup_close_ int fd = open_live(path, err);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_fail_sys(err, "stat log %s", path);
	struct log_writer *w = xcalloc(1, sizeof(*w));
	w->path = xstrdup(path);
	w->fd = take_fd(&fd);
	w->size = st.st_size;
	w->max_size = max_size;
	w->max_files = max_files;
	w->batch = xmalloc(LOG_BATCH_MAX);
	*out = w;
	return 0;
}

void log_writer_close(struct log_writer **wp)
{
	struct log_writer *w = *wp;
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->batch);
	free(w->path);
	free(w);
	*wp = NULL;
}

static int batch_write(struct log_writer *w, hull_err *err)
{
	if (w->batch_len == 0)
		return 0;
	if (write_whole(w->fd, w->batch, w->batch_len) < 0)
		return hull_fail_sys(err, "write log %s", w->path);
	w->size += (int64_t)w->batch_len;
	w->batch_len = 0;
	return 0;
}

/* path.(n-2) -> path.(n-1), ..., path -> path.1, and a new empty path (max_files 1: the old file is removed) */
static int rotate(struct log_writer *w, hull_err *err)
{
	size_t len = strlen(w->path) + 16;
	_cleanup_free_ char *from = xmalloc(len);
	_cleanup_free_ char *to = xmalloc(len);
	if (w->max_files == 1 && unlink(w->path) < 0 && errno != ENOENT)
		return hull_fail_sys(err, "rotate log: remove %s", w->path);
	for (int i = w->max_files - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, len, "%s", w->path);
		else
			snprintf(from, len, "%s.%d", w->path, i - 1);
		snprintf(to, len, "%s.%d", w->path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			return hull_fail_sys(err, "rotate log: rename %s to %s", from, to);
	}
	int fd = open_live(w->path, err);
	if (fd < 0)
		return -1;
	close(w->fd);
	w->fd = fd;
	w->size = 0;
	return 0;
}

/* Add one record (its text is a then b) to the batch, rotating first when it would take the file past max_size. */
static int record_add(struct log_writer *w, char tag, const char *a, size_t alen, const char *b, size_t blen,
		      hull_err *err)
{
	size_t len = LOG_HEADER_LEN + alen + blen + 1;
	int64_t in_file = w->size + (int64_t)w->batch_len;
	if (w->max_size > 0 && in_file > 0 && in_file + (int64_t)len > w->max_size) {
		if (batch_write(w, err) < 0 || rotate(w, err) < 0)
			return -1;
	}
	if (w->batch_len + len > LOG_BATCH_MAX && batch_write(w, err) < 0)
		return -1;
	char *p = w->batch + w->batch_len;
	memcpy(p, w->header, LOG_HEADER_LEN);
	p[LOG_TAG_AT] = tag;
	p += LOG_HEADER_LEN;
	memcpy(p, a, alen);
	memcpy(p + alen, b, blen);
	p[alen + blen] = '\n';
	w->batch_len += len;
	return 0;
}

int log_writer_write(struct log_writer *w, enum log_stream stream, const char *buf, size_t len, hull_err *err)
{
	if (!stream_valid(stream))
		return hull_fail_code(err, EINVAL, "log %s: no stream %d", w->path, (int)stream);
	timestamp_now(w->header);
	header_set_stream(w, stream);
	struct log_rest *r = &w->rest[stream];
	while (len > 0) {
		/* a '\n' right after LOG_LINE_MAX bytes still ends an F line of LOG_LINE_MAX */
		size_t room = LOG_LINE_MAX - r->len;
		const char *nl = memchr(buf, '\n', len < room + 1 ? len : room + 1);
		if (nl == NULL && len <= room) {
			memcpy(r->buf + r->len, buf, len);
			r->len += len;
			break;
		}
		size_t n = nl ? (size_t)(nl - buf) : room;
		if (record_add(w, nl ? 'F' : 'P', r->buf, r->len, buf, n, err) < 0)
			return -1;
		r->len = 0;
		n += nl ? 1 : 0;
		buf += n;
		len -= n;
	}
	return batch_write(w, err);
}

int log_writer_flush(struct log_writer *w, hull_err *err)
{
	timestamp_now(w->header);
	for (enum log_stream s = LOG_STDOUT; s <= LOG_STDERR; s++) {
		struct log_rest *r = &w->rest[s];
		if (r->len == 0)
			continue;
		header_set_stream(w, s);
		if (record_add(w, 'P', r->buf, r->len, "", 0, err) < 0)
			return -1;
		r->len = 0;
	}
	return batch_write(w, err);
}

/* ---- reading ---- */

struct log_record {
	const char *ts;
	size_t ts_len;
	enum log_stream stream;
	bool partial;
	const char *text;
	size_t text_len;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the RFC3339 timestamp at s (fraction of 1 to 9 digits or none; Z or +hh:mm / -hh:mm), 0 if none. */
static size_t timestamp_len(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const size_t whole = sizeof(shape) - 1;
	if (n <= whole)
		return 0;
	for (size_t i = 0; i < whole; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	size_t i = whole;
	if (s[i] == '.') {
		size_t first = ++i;
		while (i < n && i - first < 9 && is_digit(s[i]))
			i++;
		if (i == first)
			return 0;
	}
	if (i < n && s[i] == 'Z')
		return i + 1;
	if (i + 6 <= n && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1]) && is_digit(s[i + 2]) && s[i + 3] == ':' &&
	    is_digit(s[i + 4]) && is_digit(s[i + 5]))
		return i + 6;
	return 0;
}

/* "TIMESTAMP STREAM TAG text": the tag is F or P, maybe followed by ":more" (CRI keeps room for other tags). */
static bool record_parse(const char *line, size_t n, struct log_record *rec)
{
	const char *end = line + n;
	rec->ts = line;
	rec->ts_len = timestamp_len(line, n);
	if (rec->ts_len == 0 || n - rec->ts_len < 9 || line[rec->ts_len] != ' ')
		return false;
	const char *p = line + rec->ts_len + 1;
	if (memcmp(p, "stdout ", 7) == 0)
		rec->stream = LOG_STDOUT;
	else if (memcmp(p, "stderr ", 7) == 0)
		rec->stream = LOG_STDERR;
	else
		return false;
	p += 7;
	if (*p != 'F' && *p != 'P')
		return false;
	rec->partial = *p++ == 'P';
	if (p < end && *p == ':') {
		p = memchr(p, ' ', (size_t)(end - p));
		if (p == NULL)
			p = end;
	}
	if (p < end && *p != ' ')
		return false;
	rec->text = p < end ? p + 1 : end;
	rec->text_len = (size_t)(end - rec->text);
	return true;
}

/* A record's place: the file (oldest 0) and the offset of its line. */
struct log_pos {
	int file;
	off_t off;
};

static bool pos_at_or_before(int file, off_t off, struct log_pos p)
{
	return file < p.file || (file == p.file && off <= p.off);
}

struct log_file {
	int fd;
	char *name;
	dev_t dev;
	ino_t ino;
};

static void file_close(struct log_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(take_ptr(f->name));
}

struct log_files {
	struct log_file *v;
	size_t n;
};

static void files_clear(struct log_files *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		file_close(&fs->v[i]);
	free(take_ptr(fs->v));
	fs->n = 0;
}

static bool same_file(const struct log_file *f, const struct stat *st)
{
	return f->dev == st->st_dev && f->ino == st->st_ino;
}

/* Open the log's files, newest (path) first, then path.1, path.2 ... stopping at the file `stop` (not included) when
 * given. A writer rotating meanwhile moves files to higher numbers and leaves one gap at a time: one missing number
 * is stepped over, a file met twice is kept once. Returned oldest first. */
static int files_open(const char *path, const struct log_file *stop, struct log_files *out, hull_err *err)
{
	struct log_files fs = { 0 };
	int missing = 0;
	for (int i = 0; i < LOG_FILES_MAX && missing < 2; i++) {
		_cleanup_free_ char *name = i ? xasprintf("%s.%d", path, i) : xstrdup(path);
		_cleanup_close_ int fd = open(name, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 && errno == ENOENT) {
			missing++;
			continue;
		}
		if (fd < 0 || fstat(fd, &st) < 0) {
			hull_fail_sys(err, "open log %s", name);
			files_clear(&fs);
			return -1;
		}
		missing = 0;
		if (stop && same_file(stop, &st))
			break;
		bool seen = false;
		for (size_t j = 0; j < fs.n && !seen; j++)
			seen = same_file(&fs.v[j], &st);
		if (seen)
			continue;
		fs.v = xreallocarray(fs.v, fs.n + 1, sizeof(*fs.v));
		fs.v[fs.n++] = (struct log_file){ .fd = take_fd(&fd), .name = take_ptr(name), .dev = st.st_dev,
						  .ino = st.st_ino };
	}
	for (size_t i = 0; i < fs.n / 2; i++) {
		struct log_file t = fs.v[i];
		fs.v[i] = fs.v[fs.n - 1 - i];
		fs.v[fs.n - 1 - i] = t;
	}
	*out = fs;
	return 0;
}

struct log_reader {
	const char *path;
	const struct log_read_opts *o;
	bool in_line[LOG_STDERR + 1];          /* a P of this stream was printed, its line goes on */
	struct log_pos skip_to[LOG_STDERR + 1]; /* --tail: records of the stream at or before this are not printed */
	/* the current file's unread bytes: buf[start, end) is at file offset buf_off + start */
	char *buf;
	size_t start, end;
	off_t buf_off;
	bool overlong; /* inside a line longer than the buffer: skipped up to its '\n' */
	/* output gathered for one fd */
	char *out;
	size_t out_len;
	int out_fd;
};

static int out_flush(struct log_reader *r, hull_err *err)
{
	if (r->out_len > 0 && write_whole(r->out_fd, r->out, r->out_len) < 0)
		return hull_fail_sys(err, "log %s: write to fd %d", r->path, r->out_fd);
	r->out_len = 0;
	return 0;
}

static int out_put(struct log_reader *r, int fd, const char *data, size_t len, hull_err *err)
{
	if ((fd != r->out_fd || r->out_len + len > LOG_READ_BUF) && out_flush(r, err) < 0)
		return -1;
	r->out_fd = fd;
	if (len > LOG_READ_BUF) {
		if (write_whole(fd, data, len) < 0)
			return hull_fail_sys(err, "log %s: write to fd %d", r->path, fd);
		return 0;
	}
	memcpy(r->out + r->out_len, data, len);
	r->out_len += len;
	return 0;
}

static int line_print(struct log_reader *r, int file, off_t off, const char *line, size_t n, hull_err *err)
{
	struct log_record rec;
	if (!record_parse(line, n, &rec) || pos_at_or_before(file, off, r->skip_to[rec.stream]))
		return 0;
	int fd = rec.stream == LOG_STDOUT ? r->o->out_fd : r->o->err_fd;
	if (r->o->timestamps && !r->in_line[rec.stream]) {
		if (out_put(r, fd, rec.ts, rec.ts_len, err) < 0 || out_put(r, fd, " ", 1, err) < 0)
			return -1;
	}
	if (out_put(r, fd, rec.text, rec.text_len, err) < 0)
		return -1;
	if (!rec.partial && out_put(r, fd, "\n", 1, err) < 0)
		return -1;
	r->in_line[rec.stream] = rec.partial;
	return 0;
}

static void carry_reset(struct log_reader *r, off_t off)
{
	r->start = r->end = 0;
	r->buf_off = off;
	r->overlong = false;
}

/* Start reading a file at off (a line's start). */
static int file_start(struct log_reader *r, struct log_file *f, off_t off, hull_err *err)
{
	if (off > 0 && lseek(f->fd, off, SEEK_SET) < 0)
		return hull_fail_sys(err, "seek log %s", f->name);
	carry_reset(r, off);
	return 0;
}

/* Print the complete records of f from where the last call stopped to its end; at_end: the file is finished, its
 * last record is printed even without its '\n' (a writer killed mid-record). */
static int file_print(struct log_reader *r, struct log_file *f, int file, bool at_end, hull_err *err)
{
	for (;;) {
		const char *nl;
		while (r->start < r->end && (nl = memchr(r->buf + r->start, '\n', r->end - r->start)) != NULL) {
			size_t n = (size_t)(nl - (r->buf + r->start));
			if (!r->overlong &&
			    line_print(r, file, r->buf_off + (off_t)r->start, r->buf + r->start, n, err) < 0)
				return -1;
			r->overlong = false;
			r->start += n + 1;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->buf_off += (off_t)r->start;
			r->end -= r->start;
			r->start = 0;
		}
		if (r->end == LOG_READ_BUF) {
			r->overlong = true;
			r->buf_off += (off_t)r->end;
			r->end = 0;
		}
		ssize_t got = read(f->fd, r->buf + r->end, LOG_READ_BUF - r->end);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return hull_fail_sys(err, "read log %s", f->name);
		if (got == 0)
			break;
		r->end += (size_t)got;
	}
	if (at_end && r->end > r->start && !r->overlong &&
	    line_print(r, file, r->buf_off + (off_t)r->start, r->buf + r->start, r->end - r->start, err) < 0)
		return -1;
	if (at_end)
		carry_reset(r, 0);
	return out_flush(r, err);
}

/* --tail: lines read backwards from the end of a file in blocks; buf holds [pos, pos + len) of the file, the lines
 * not yet returned. */
struct log_backwards {
	struct log_file *f;
	char *buf;
	off_t pos;
	size_t len;
	bool overlong; /* buf ends inside a line longer than LOG_READ_BUF, skipped */
};

/* The line before the last one returned: 1 and *off, *line, *n (without its '\n'), 0 at the file's start. */
static int backwards_line(struct log_backwards *b, off_t *off, const char **line, size_t *n, hull_err *err)
{
	for (;;) {
		/* the last byte ends the line being looked for, unless that line is an overlong one cut short */
		size_t look = b->overlong ? b->len : (b->len > 0 ? b->len - 1 : 0);
		const char *nl = memrchr(b->buf, '\n', look);
		if (nl != NULL || b->pos == 0) {
			size_t from = nl ? (size_t)(nl + 1 - b->buf) : 0;
			if (from == b->len && nl == NULL)
				return 0;
			*off = b->pos + (off_t)from;
			*line = b->buf + from;
			*n = b->len - from;
			if (*n > 0 && (*line)[*n - 1] == '\n' && !b->overlong)
				(*n)--;
			b->len = from;
			bool skip = b->overlong;
			b->overlong = false;
			if (nl == NULL && skip)
				return 0;
			if (!skip)
				return 1;
			continue;
		}
		if (b->len > LOG_READ_BUF) {
			b->overlong = true;
			b->len = 0;
		}
		size_t more = b->pos < (off_t)LOG_TAIL_BLOCK ? (size_t)b->pos : LOG_TAIL_BLOCK;
		memmove(b->buf + more, b->buf, b->len);
		size_t got = 0;
		while (got < more) {
			ssize_t k = pread(b->f->fd, b->buf + got, more - got, b->pos - (off_t)more + (off_t)got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return hull_fail_sys(err, "read log %s", b->f->name);
			if (k == 0)
				return hull_fail_code(err, EIO, "read log %s: the file shrank while read", b->f->name);
			got += (size_t)k;
		}
		b->pos -= (off_t)more;
		b->len += more;
	}
}

/* --tail N: the last N full lines are the last N F records with the P records before each (of its stream). Reading
 * backwards, the (N+1)th F record is where printing starts for its stream; the other stream, when it has records
 * after that one, is followed further back to its own previous F, since the first of those records may continue a
 * line begun before (its P records are printed). That costs a longer look back only when that stream is sparse. */
static int tail_find(struct log_reader *r, struct log_files *fs, int64_t tail, hull_err *err)
{
	int64_t fulls = 0;
	bool cut = false, seen[LOG_STDERR + 1] = { false }, settled[LOG_STDERR + 1] = { false };
	_cleanup_free_ char *buf = xmalloc(LOG_READ_BUF + LOG_TAIL_BLOCK);
	for (int i = (int)fs->n - 1; i >= 0; i--) {
		struct stat st;
		if (fstat(fs->v[i].fd, &st) < 0)
			return hull_fail_sys(err, "stat log %s", fs->v[i].name);
		struct log_backwards b = { .f = &fs->v[i], .buf = buf, .pos = st.st_size };
		off_t off = 0;
		const char *line = NULL;
		size_t n = 0;
		int ret;
		while ((ret = backwards_line(&b, &off, &line, &n, err)) > 0) {
			struct log_record rec;
			if (!record_parse(line, n, &rec) || settled[rec.stream])
				continue;
			enum log_stream s = rec.stream, other = s == LOG_STDOUT ? LOG_STDERR : LOG_STDOUT;
			if (!cut && !rec.partial && ++fulls > tail) {
				cut = true;
				if (!seen[other]) {
					settled[other] = true;
					r->skip_to[other] = (struct log_pos){ i, off };
				}
			}
			if (cut && !rec.partial) {
				settled[s] = true;
				r->skip_to[s] = (struct log_pos){ i, off };
			}
			seen[s] = true;
			if (settled[LOG_STDOUT] && settled[LOG_STDERR])
				return 0;
		}
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* Read the files of fs oldest first from where --tail says; the live one (the last, when `live`) is left open for
 * follow at its end. */
static int files_print(struct log_reader *r, struct log_files *fs, bool live, int *file, hull_err *err)
{
	for (size_t i = 0; i < fs->n; i++, (*file)++) {
		struct log_pos first = r->skip_to[LOG_STDOUT];
		if (pos_at_or_before(r->skip_to[LOG_STDERR].file, r->skip_to[LOG_STDERR].off, first))
			first = r->skip_to[LOG_STDERR];
		if (*file < first.file)
			continue;
		bool last = i + 1 == fs->n;
		if (file_start(r, &fs->v[i], *file == first.file ? first.off : 0, err) < 0 ||
		    file_print(r, &fs->v[i], *file, !(live && last), err) < 0)
			return -1;
	}
	return 0;
}

/* Has path become another file (or none) than f, or appeared when there was none? */
static int live_rotated(const char *path, const struct log_file *f, bool *rotated, hull_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			return hull_fail_sys(err, "stat log %s", path);
		*rotated = f->fd >= 0;
		return 0;
	}
	*rotated = f->fd < 0 || !same_file(f, &st);
	return 0;
}

static int inotify_dir(const char *path)
{
	_cleanup_free_ char *copy = xstrdup(path);
	int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0)
		return -1;
	if (inotify_add_watch(fd, dirname(copy), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Wait for the directory to change (any event: a spurious wake costs one look), at most LOG_FOLLOW_POLL_MS. */
static void change_wait(int ifd)
{
	if (ifd < 0) {
		nanosleep(&(struct timespec){ .tv_nsec = LOG_FOLLOW_POLL_MS * 1000000L }, NULL);
		return;
	}
	struct pollfd p = { .fd = ifd, .events = POLLIN };
	if (poll(&p, 1, LOG_FOLLOW_POLL_MS) <= 0)
		return;
	char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (read(ifd, events, sizeof(events)) > 0)
		;
}

/* Follow the live file: print what is appended; when path is another file, finish this one (still open) and go on
 * with those made since, oldest first. Ends when done() said so and everything was read after that. */
static int follow(struct log_reader *r, struct log_file *live, const struct log_file *last, int file,
		  hull_err *err)
{
	_cleanup_close_ int ifd = inotify_dir(r->path);
	/* the file read last: where a rotation's new files begin */
	struct log_file seen = { .fd = -1, .dev = last ? last->dev : 0, .ino = last ? last->ino : 0 };
	bool any_seen = last != NULL, finishing = false;
	for (;;) {
		bool rotated = false;
		if ((live->fd >= 0 && file_print(r, live, file, false, err) < 0) ||
		    live_rotated(r->path, live, &rotated, err) < 0)
			return -1;
		if (rotated) {
			if (live->fd >= 0) {
				if (file_print(r, live, file, true, err) < 0)
					return -1;
				seen.dev = live->dev;
				seen.ino = live->ino;
				any_seen = true;
				file_close(live);
				file++;
			}
			struct log_files newer;
			if (files_open(r->path, any_seen ? &seen : NULL, &newer, err) < 0)
				return -1;
			bool has_live = newer.n > 0 && strcmp(newer.v[newer.n - 1].name, r->path) == 0;
			int ret = files_print(r, &newer, has_live, &file, err);
			if (ret == 0 && newer.n > 0) {
				struct log_file *l = &newer.v[newer.n - 1];
				seen.dev = l->dev;
				seen.ino = l->ino;
				any_seen = true;
				if (has_live) {
					*live = *l;
					l->fd = -1;
					l->name = NULL;
					file--;
				}
			}
			files_clear(&newer);
			if (ret < 0)
				return -1;
			continue;
		}
		if (finishing)
			break;
		if (r->o->done && r->o->done(r->o->arg)) {
			finishing = true;
			continue;
		}
		change_wait(ifd);
	}
	if (live->fd >= 0 && file_print(r, live, file, true, err) < 0)
		return -1;
	return out_flush(r, err);
}

int log_read(const char *path, const struct log_read_opts *o, hull_err *err)
{
	_cleanup_free_ char *buf = xmalloc(LOG_READ_BUF);
	_cleanup_free_ char *out = xmalloc(LOG_READ_BUF);
	struct log_reader r = { .path = path, .o = o, .buf = buf, .out = out, .out_fd = o->out_fd };
	for (enum log_stream s = LOG_STDOUT; s <= LOG_STDERR; s++)
		r.skip_to[s] = (struct log_pos){ -1, -1 };
	struct log_files fs;
	if (files_open(path, NULL, &fs, err) < 0)
		return -1;
	if (fs.n == 0 && !o->follow)
		return hull_fail_errno(err, ENOENT, "open log %s", path);
	int ret = 0, file = 0;
	bool has_live = fs.n > 0 && strcmp(fs.v[fs.n - 1].name, path) == 0;
	if (o->tail >= 0)
		ret = tail_find(&r, &fs, o->tail, err);
	if (ret == 0)
		ret = files_print(&r, &fs, o->follow && has_live, &file, err);
	if (ret == 0 && o->follow) {
		struct log_file live = { .fd = -1 };
		const struct log_file *last = fs.n > 0 ? &fs.v[fs.n - 1] : NULL;
		if (has_live) {
			live = fs.v[fs.n - 1];
			fs.v[fs.n - 1].fd = -1;
			fs.v[fs.n - 1].name = NULL;
			file--;
		}
		ret = follow(&r, &live, last, file, err);
		file_close(&live);
	}
	files_clear(&fs);
	return ret;
}
