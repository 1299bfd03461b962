/* Password search over a candidate space with POSIX threads. Threads take
 * chunks of indices from a shared counter; the resume point is the lowest
 * chunk still in flight, so an interrupted run never skips a candidate. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "internal.h"

#define CHUNK	4	/* small: the last chunks leave a thread idle */

struct shared {
	const cpk_container	*c;
	const cpk_space		*s;
	const cpk_recover_opts	*o;
	pthread_mutex_t		 lock;
	uint64_t		 total;		/* of the space, or its part */
	uint64_t		 next;		/* next chunk to hand out */
	uint64_t		*inflight;	/* per thread, UINT64_MAX idle */
	uint64_t		 tried;
	int			 done, use_mac;
	cpk_err			 err;
	cpk_recover_result	*res;
};

struct worker {
	struct shared	*sh;
	unsigned	 id;
};

/* One candidate: the cheapest proof, then a full unlock to confirm. */
static int
try_one(struct shared *sh, const char *pw, enum cpk_pwenc *enc)
{
	enum cpk_pwenc order[3];
	cpk_key *k = NULL;
	size_t n = cpk_pw_encodings(pw, order);
	int copy = sh->c->masks[0] && sh->c->primary[0] ? 0 : 1;

	for (size_t i = 0; i < n; i++) {
		enum cpk_pwenc e = order[i];
		if (sh->use_mac && cpk_password_check(sh->c, pw, e) != CPK_OK)
			continue;
		if (cpk_key_unlock(sh->c, copy, pw, e, &k) == CPK_OK ||
		    cpk_key_unlock(sh->c, !copy, pw, e, &k) == CPK_OK) {
			cpk_key_free(&k);
			*enc = e;
			return 1;
		}
	}
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	char pw[CPK_SPACE_MAX_PW];
	enum cpk_pwenc enc;
	uint64_t start, end;

	for (;;) {
		pthread_mutex_lock(&sh->lock);
		if (sh->done || *sh->o->stop || sh->next >= sh->total) {
			sh->inflight[w->id] = UINT64_MAX;
			pthread_mutex_unlock(&sh->lock);
			break;
		}
		start = sh->next;
		end = sh->total - start > CHUNK ? start + CHUNK : sh->total;
		sh->next = end;
		sh->inflight[w->id] = start;
		pthread_mutex_unlock(&sh->lock);
		for (uint64_t i = start; i < end; i++) {
			if (cpk_space_get(sh->s, i, pw, sizeof(pw)) != CPK_OK)
				continue;
			if (try_one(sh, pw, &enc)) {
				pthread_mutex_lock(&sh->lock);
				if (!sh->res->found) {
					sh->res->found = 1;
					sh->res->enc = enc;
					memcpy(sh->res->password, pw,
					    sizeof(pw));
				}
				sh->done = 1;
				pthread_mutex_unlock(&sh->lock);
			}
		}
		pthread_mutex_lock(&sh->lock);
		sh->tried += end - start;	/* one lock a chunk */
		pthread_mutex_unlock(&sh->lock);
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	return NULL;
}

/* Everything below the lowest chunk in flight has been tried. */
static uint64_t
watermark(struct shared *sh, unsigned n)
{
	uint64_t m = sh->next;

	for (unsigned i = 0; i < n; i++)
		if (sh->inflight[i] < m)
			m = sh->inflight[i];
	return m;
}

cpk_err
cpk_recover(const cpk_container *c, const cpk_space *s,
    const cpk_recover_opts *o, cpk_recover_result *res)
{
	struct shared sh;
	struct worker *w = NULL;
	pthread_t *t = NULL;
	unsigned n = o->threads ? o->threads : 1, started = 0;
	double t0 = cpk_mono();
	uint64_t resume;
	int running;
	cpk_err r = CPK_OK;

	memset(res, 0, sizeof(*res));
	if (c->header == NULL || c->profile == CPK_P_NONE || c->curve == NULL)
		return CPK_E_UNSUPPORTED;
	if ((r = cpk_gost_init()) != CPK_OK)
		return r;
	memset(&sh, 0, sizeof(sh));
	sh.c = c;
	sh.s = s;
	sh.o = o;
	sh.res = res;
	sh.total = cpk_space_total(s);
	sh.next = o->start;
	/* the password MAC is a valid oracle only when bit 0 says so */
	sh.use_mac = (cpk_header_attrs(c->header) & CPK_CA_PASSWORD) &&
	    cpk_header_pw_mac(c->header) != NULL;
	res->proof = sh.use_mac ? "password MAC" : "fingerprint";
	if ((w = calloc(n, sizeof(*w))) == NULL ||
	    (t = calloc(n, sizeof(*t))) == NULL ||
	    (sh.inflight = calloc(n, sizeof(*sh.inflight))) == NULL) {
		r = CPK_E_NOMEM;
		goto out;
	}
	pthread_mutex_init(&sh.lock, NULL);
	for (unsigned i = 0; i < n; i++) {
		sh.inflight[i] = UINT64_MAX;
		w[i].sh = &sh;
		w[i].id = i;
		if (pthread_create(&t[i], NULL, work, &w[i]) != 0)
			break;
		started++;
	}
	do {
		usleep(20 * 1000);	/* the end is noticed within 20 ms */
		pthread_mutex_lock(&sh.lock);
		running = 0;
		for (unsigned i = 0; i < started; i++)
			running |= sh.inflight[i] != UINT64_MAX;
		running |= !sh.done && !*o->stop && sh.next < sh.total;
		res->tried = sh.tried;
		resume = watermark(&sh, started);
		pthread_mutex_unlock(&sh.lock);
		if (o->progress != NULL)
			o->progress(o->start + res->tried, resume, sh.total,
			    (double)res->tried / (cpk_mono() - t0), o->arg);
	} while (running);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	res->tried = sh.tried;
	res->next = res->found ? sh.total : watermark(&sh, started);
	if (started == 0)
		r = CPK_E_NOMEM;
	pthread_mutex_destroy(&sh.lock);
out:
	free(sh.inflight);
	free(w);
	free(t);
	return r;
}
