/* registry_blobs.c - blobs of one repository fetched in parallel over libcurl's multi interface: resumed from what a
 * file already holds, retried with backoff on transient failures, re-authenticated once on a 401, verified by size and
 * digest, with a progress line on a terminal.
 * Must never keep a blob whose size or digest is not the descriptor's, nor write past its size. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image/registry.h"
#include "image/registry_client.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define PROGRESS_INTERVAL_MS 100
#define COPY_CHUNK (256 * 1024)

enum xfer_abort { ABORT_NONE, ABORT_TOO_LONG, ABORT_IO, ABORT_RANGE };

struct xfer {
	struct response resp; /* first: the header callback's data is the xfer */
	struct registry *r;
	struct blob_fetch *f;
	struct hasher *h;
	int64_t off;   /* bytes in the fd, all hashed */
	int64_t start; /* the Range of the running request */
	int tries;
	bool resumed;   /* a kept prefix is part of what will be checked */
	bool restarted; /* already fetched again from 0 after a mismatch */
	bool reauthed;
	bool running, done;
	enum xfer_abort abort;
	int io_errno;
	long not_before; /* ms, monotonic */
	CURL *easy;
	struct curl_slist *hdrs;
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int xfer_truncate(struct xfer *x)
{
	x->off = 0;
	x->resumed = false;
	struct digest ignored;
	hasher_final(x->h, &ignored); /* and ready again */
	return ftruncate(x->f->fd, 0);
}

static void xfer_headers_done(struct response *resp)
{
	struct xfer *x = (struct xfer *)resp;
	if (resp->status == 200 && x->start > 0) { /* Range ignored: the whole blob comes */
		if (xfer_truncate(x) < 0) {
			x->io_errno = errno;
			x->abort = ABORT_IO;
		}
		x->start = 0;
	} else if (resp->status == 206) {
		long long first = -1;
		if (resp->content_range == NULL || sscanf(resp->content_range, "bytes %lld-", &first) != 1 ||
		    first != x->start)
			x->abort = ABORT_RANGE;
		else
			x->resumed = x->start > 0;
	}
}

static size_t xfer_body(char *buf, size_t size, size_t nitems, void *data)
{
	struct xfer *x = data;
	size_t len = size * nitems;
	if (!reg_status_ok(x->resp.status))
		return reg_on_body(buf, size, nitems, &x->resp);
	if (x->abort != ABORT_NONE)
		return 0;
	if ((int64_t)len > x->f->desc->size - x->off) {
		x->abort = ABORT_TOO_LONG;
		return 0;
	}
	for (size_t done = 0; done < len;) {
		ssize_t w = pwrite(x->f->fd, buf + done, len - done, x->off + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			x->io_errno = w < 0 ? errno : EIO;
			x->abort = ABORT_IO;
			return 0;
		}
		done += (size_t)w;
	}
	hasher_update(x->h, buf, len);
	x->off += (int64_t)len;
	return len;
}

/* What the fd already holds: hashed, kept when it can be a prefix of the blob */
static int xfer_prepare(struct xfer *x, hull_err *err)
{
	const struct descriptor *d = x->f->desc;
	struct stat st;
	if (hasher_new(&x->h, d->digest.algo, err) < 0)
		return -1;
	if (fstat(x->f->fd, &st) < 0)
		return hull_fail_sys(err, "blob %s", digest_text(&d->digest));
	if (st.st_size > d->size && ftruncate(x->f->fd, 0) < 0)
		return hull_fail_sys(err, "blob %s: truncate", digest_text(&d->digest));
	int64_t have = st.st_size > d->size ? 0 : st.st_size;
	_cleanup_free_ char *buf = xmalloc(COPY_CHUNK);
	while (x->off < have) {
		size_t want = (size_t)(have - x->off) < COPY_CHUNK ? (size_t)(have - x->off) : COPY_CHUNK;
		ssize_t n = pread(x->f->fd, buf, want, x->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return hull_fail_errno(err, n < 0 ? errno : EIO, "blob %s: read what is there",
					       digest_text(&d->digest));
		hasher_update(x->h, buf, (size_t)n);
		x->off += n;
	}
	x->resumed = x->off > 0;
	return 0;
}

struct blob_run {
	struct registry *r;
	const char *repo;
	struct xfer *x;
	size_t n;
	CURLM *multi;
	char *authz;
	int running;
	long last_progress;
	bool show_progress;
	hull_err first;  /* the first failure */
};

static int xfer_start(struct blob_run *b, struct xfer *x)
{
	_cleanup_free_ char *url = xasprintf("%s/v2/%s/blobs/%s", b->r->base, b->repo, digest_text(&x->f->desc->digest));
	reg_response_reset(&x->resp);
	x->resp.max = 0;
	x->resp.headers_done = xfer_headers_done;
	x->abort = ABORT_NONE;
	x->start = x->off;
	x->hdrs = reg_header_list(NULL, b->authz);
	if (x->start > 0) {
		char range[64];
		snprintf(range, sizeof(range), "Range: bytes=%lld-", (long long)x->start);
		x->hdrs = curl_api.slist_append(x->hdrs, range);
	}
	x->easy = reg_easy_new(b->r, url, x->hdrs, &x->resp);
	set_ptr(x->easy, CURLOPT_HEADERDATA, x);
	set_ptr(x->easy, CURLOPT_WRITEFUNCTION, xfer_body);
	set_ptr(x->easy, CURLOPT_WRITEDATA, x);
	set_ptr(x->easy, CURLOPT_PRIVATE, x);
	if (curl_api.multi_add_handle(b->multi, x->easy) != CURLM_OK)
		xalloc_die();
	x->running = true;
	b->running++;
	return 0;
}

static void xfer_stop(struct blob_run *b, struct xfer *x)
{
	if (!x->running)
		return;
	curl_api.multi_remove_handle(b->multi, x->easy);
	curl_api.easy_cleanup(x->easy);
	curl_api.slist_free_all(x->hdrs);
	x->easy = NULL;
	x->hdrs = NULL;
	x->running = false;
	b->running--;
}

static void xfer_fail(struct blob_run *b, struct xfer *x, hull_err *e)
{
	x->done = true;
	if (b->first == NULL)
		b->first = take_ptr(*e);
	hull_err_free(e);
}

/* Again after a backoff, or give up with `why` */
static void xfer_again(struct blob_run *b, struct xfer *x, bool counted, const char *why)
{
	if (counted && ++x->tries >= TRIES_MAX) {
		_cleanup_err_ hull_err e = NULL;
		hull_fail_code(&e, EIO, "registry %s: blob %s: %s (%d tries)", b->r->name, digest_text(&x->f->desc->digest),
			       why, x->tries);
		xfer_fail(b, x, &e);
		return;
	}
	x->not_before = counted ? now_ms() + reg_backoff_ms(x->tries) : 0;
}

/* The whole blob is in: its size and digest decide */
static void xfer_verify(struct blob_run *b, struct xfer *x)
{
	const struct descriptor *d = x->f->desc;
	_cleanup_err_ hull_err e = NULL;
	struct digest got;
	hasher_final(x->h, &got);
	if (digest_equal(&got, &d->digest)) {
		x->done = true;
		return;
	}
	bool had_prefix = x->resumed;
	if (ftruncate(x->f->fd, 0) < 0) {
		hull_fail_sys(&e, "blob %s: truncate", digest_text(&d->digest));
		xfer_fail(b, x, &e);
		return;
	}
	x->off = 0;
	x->resumed = false;
	if (had_prefix && !x->restarted) { /* the kept prefix was someone else's bytes: once more from 0 */
		x->restarted = true;
		x->not_before = 0;
		return;
	}
	hull_fail_code(&e, EBADMSG, "blob %s: digest mismatch (got %s)", digest_text(&d->digest), digest_text(&got));
	xfer_fail(b, x, &e);
}

static void xfer_finished(struct blob_run *b, struct xfer *x, CURLcode rc)
{
	const struct descriptor *d = x->f->desc;
	long status = x->resp.status;
	_cleanup_err_ hull_err e = NULL;
	_cleanup_free_ char *why = NULL;
	xfer_stop(b, x);
	if (x->abort == ABORT_TOO_LONG || x->abort == ABORT_IO) {
		if (x->abort == ABORT_TOO_LONG)
			hull_fail_code(&e, EBADMSG, "blob %s: the registry sends more than its size, %lld bytes",
				       digest_text(&d->digest), (long long)d->size);
		else
			hull_fail_errno(&e, x->io_errno, "blob %s: write", digest_text(&d->digest));
		if (ftruncate(x->f->fd, 0) < 0) {
			/* the error above says more */
		}
		x->off = 0;
		xfer_fail(b, x, &e);
		return;
	}
	if (x->abort == ABORT_RANGE || status == 416) { /* a range not as asked: the whole blob again */
		if (xfer_truncate(x) < 0) {
			hull_fail_sys(&e, "blob %s: truncate", digest_text(&d->digest));
			xfer_fail(b, x, &e);
			return;
		}
		xfer_again(b, x, true, "the registry does not answer the range asked");
		return;
	}
	if (rc != CURLE_OK && rc != CURLE_WRITE_ERROR) {
		if (reg_is_transient_in(rc, x->resp.errbuf)) {
			xfer_again(b, x, true, x->resp.errbuf[0] ? x->resp.errbuf : curl_api.easy_strerror(rc));
			return;
		}
		reg_curl_fail(b->r, digest_text(&d->digest), rc, x->resp.errbuf, &e);
		xfer_fail(b, x, &e);
		return;
	}
	if (status == 401 && !x->reauthed) {
		x->reauthed = true;
		_cleanup_free_ char *scope = xasprintf("repository:%s:pull", b->repo);
		free(b->authz);
		b->authz = NULL;
		if (reg_learn_challenge(b->r, &x->resp, scope, &e) < 0 || reg_auth_header(b->r, scope, &b->authz, &e) < 0) {
			xfer_fail(b, x, &e);
			return;
		}
		x->not_before = 0;
		return;
	}
	if (reg_status_transient(status)) {
		why = xasprintf("HTTP %ld", status);
		xfer_again(b, x, true, why);
		return;
	}
	if (status == 404) {
		hull_fail_code(&e, ENOENT, "registry %s: %s@%s: blob unknown", b->r->name, b->repo, digest_text(&d->digest));
		xfer_fail(b, x, &e);
		return;
	}
	if (!reg_status_ok(status)) {
		reg_http_fail(b->r, digest_text(&d->digest), &x->resp, &e);
		xfer_fail(b, x, &e);
		return;
	}
	if (x->off < d->size) { /* ended early without an error: what is there is kept, the rest asked again */
		xfer_again(b, x, true, "the transfer ended early");
		return;
	}
	xfer_verify(b, x);
}

static void human(char *buf, size_t size, double v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;
	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* One line on stderr, redrawn in place */
static void show_progress(struct blob_run *b, bool final)
{
	long now = now_ms();
	if (!b->show_progress || (!final && now - b->last_progress < PROGRESS_INTERVAL_MS))
		return;
	b->last_progress = now;
	double have = 0, total = 0;
	size_t done = 0;
	for (size_t i = 0; i < b->n; i++) {
		have += (double)b->x[i].off;
		total += (double)b->x[i].f->desc->size;
		done += b->x[i].done;
	}
	char h[32], t[32];
	human(h, sizeof(h), have);
	human(t, sizeof(t), total);
	fprintf(stderr, "\rCopying blobs: %zu/%zu done, %s / %s\033[K%s", done, b->n, h, t, final ? "\n" : "");
	fflush(stderr);
}

static void blob_run_clear(struct blob_run *b)
{
	for (size_t i = 0; i < b->n; i++) {
		xfer_stop(b, &b->x[i]);
		reg_response_reset(&b->x[i].resp);
		hasher_free(&b->x[i].h);
	}
	free(b->x);
	if (b->multi)
		curl_api.multi_cleanup(b->multi);
	reg_wipe_free(b->authz);
	hull_err_free(&b->first);
}

/* Start what may start: a free slot, and its backoff over */
static long schedule(struct blob_run *b)
{
	long now = now_ms(), wait = -1;
	for (size_t i = 0; i < b->n && b->first == NULL; i++) {
		struct xfer *x = &b->x[i];
		if (x->done || x->running)
			continue;
		if (x->not_before > now) {
			long w = x->not_before - now;
			wait = wait < 0 || w < wait ? w : wait;
			continue;
		}
		if (b->running >= b->r->parallel)
			break;
		if (x->off == x->f->desc->size) { /* all there already (a kept file, or a size 0 blob) */
			xfer_verify(b, x);
			if (!x->done && b->first == NULL)
				i--; /* restarted from 0: start it now */
			continue;
		}
		xfer_start(b, x);
	}
	return wait;
}

static bool all_done(const struct blob_run *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->x[i].done)
			return false;
	return true;
}

int registry_get_blobs(struct registry *r, const char *repo, struct blob_fetch *fetches, size_t n, hull_err *err)
{
	if (!reg_valid_repo(repo))
		return hull_fail_code(err, EINVAL, "registry %s: \"%.100s\" is not a repository name", r->name, repo);
	if (n == 0)
		return 0;
	__attribute__((cleanup(blob_run_clear))) struct blob_run b = { .r = r, .repo = repo, .n = n };
	b.x = xcalloc(n, sizeof(*b.x));
	for (size_t i = 0; i < n; i++) {
		b.x[i].r = r;
		b.x[i].f = &fetches[i];
		if (fetches[i].desc->size < 0)
			return hull_fail_code(err, EINVAL, "blob %s: negative size", digest_text(&fetches[i].desc->digest));
		if (xfer_prepare(&b.x[i], err) < 0)
			return -1;
	}
	_cleanup_free_ char *scope = xasprintf("repository:%s:pull", repo);
	if (reg_ensure_base(r, err) < 0 || reg_auth_header(r, scope, &b.authz, err) < 0)
		return reg_name_object(r, repo, err);
	b.multi = curl_api.multi_init();
	if (b.multi == NULL)
		xalloc_die();
	b.show_progress = r->progress && isatty(STDERR_FILENO);
	while (b.first == NULL && !all_done(&b)) {
		long wait = schedule(&b);
		if (b.first)
			break;
		int still = 0;
		if (curl_api.multi_perform(b.multi, &still) != CURLM_OK)
			return hull_fail(err, "registry %s: libcurl's multi interface failed", r->name);
		CURLMsg *m;
		int left;
		while ((m = curl_api.multi_info_read(b.multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			CURLcode rc = m->data.result;
			curl_api.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			xfer_finished(&b, x, rc);
		}
		show_progress(&b, false);
		if (b.first || all_done(&b))
			break;
		int timeout = b.running ? 1000 : (wait >= 0 ? (int)wait : 0);
		if (b.running && wait >= 0 && wait < timeout)
			timeout = (int)wait;
		if (b.running)
			curl_api.multi_poll(b.multi, NULL, 0, timeout, NULL);
		else if (timeout > 0)
			reg_sleep_ms(timeout);
	}
	show_progress(&b, true);
	if (b.first) {
		hull_err_free(err);
		*err = take_ptr(b.first);
		return -1;
	}
	return 0;
}
