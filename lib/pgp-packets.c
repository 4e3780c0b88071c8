/* pgp-packets.c: an OpenPGP message's packet sequence, read as it streams
 * (RFC 4880 4.2) and judged as a product's ciphertext (pgp-packets.h).
 *
 * A packet starts with a tag octet; its length follows in the old format
 * (1, 2 or 4 octets, or none: to the end of the input) or the new one (1,
 * 2 or 5 octets, or a partial body length: a piece of 2^n octets, then
 * another length, until a definite one ends the body; data packets only,
 * 4.2.2.4).  The reader takes one octet of a header at a time and skips
 * bodies, keeping only the first ten octets of a session key packet and
 * the version octet of the encrypted data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pgp-packets.h"
#include "rows.h"

#define PKESK_BODY_MAX 8192	/* RSA of 16384 bits needs 2060 */

enum { S_HDR, S_LEN, S_BODY, S_REST };	/* header, next piece's length, body, to the end */
enum { T_PKESK = 1, T_SKESK = 3, T_SED = 9, T_SEIPD = 18, T_AEAD = 20 };
enum { X_SKESK = 1, X_WILDCARD = 2, X_TWICE = 4, X_BEFORE = 8, X_AFTER = 16 };

void pki_pgp_msg_init(struct pki_pgp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->state = S_HDR;
}

void pki_pgp_msg_release(struct pki_pgp_msg *m)
{
	free(m->pkesk);
	pki_pgp_msg_init(m);
}

__attribute__((format(printf, 2, 3)))
static void malformed(struct pki_pgp_msg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	m->malformed = m->done = true;
}

/* One reason of each kind: the first. */
__attribute__((format(printf, 3, 4)))
static void extra(struct pki_pgp_msg *m, unsigned kind, const char *fmt, ...)
{
	va_list ap;

	if (m->kinds & kind || m->nextra == PKI_PGP_EXTRA_MAX)
		return;
	m->kinds |= kind;
	va_start(ap, fmt);
	vsnprintf(m->extra[m->nextra++], PKI_PGP_WHY_LEN, fmt, ap);
	va_end(ap);
}

/* May the body come in partial lengths, or run to the end of the input?
 * Literal, compressed and encrypted data only (4.2.2.4). */
static bool data_tag(int tag)
{
	return tag == 8 || tag == T_SED || tag == 11 || tag == T_SEIPD || tag == T_AEAD;
}

/* The octets a header (tag octet first) or a piece's length (len: no tag
 * octet) needs, from those seen so far. */
static size_t needs(const unsigned char *h, size_t n, bool len)
{
	static const size_t old[4] = { 2, 3, 5, 1 };
	const unsigned char *l = len ? h : h + 1;

	if (!len && !(h[0] & 0x40))
		return old[h[0] & 3];
	if ((size_t)(l - h) >= n)
		return n + 1;
	if (l[0] < 192 || (l[0] >= 224 && l[0] < 255))
		return (size_t)(l - h) + 1;
	return (size_t)(l - h) + (l[0] < 224 ? 2 : 5);
}

/* A new-format length at l: the length, and whether it is a piece. */
static uint64_t new_length(const unsigned char *l, bool *partial)
{
	*partial = false;
	if (l[0] < 192)
		return l[0];
	if (l[0] < 224)
		return ((uint64_t)(l[0] - 192) << 8) + l[1] + 192;
	if (l[0] < 255) {
		*partial = true;
		return (uint64_t)1 << (l[0] & 0x1f);
	}
	return (uint64_t)l[1] << 24 | (uint64_t)l[2] << 16 | (uint64_t)l[3] << 8 | l[4];
}

static int body_end(struct pki_pgp_msg *m);

/* A session key packet's first ten octets: version, key ID, algorithm. */
static int pkesk(struct pki_pgp_msg *m)
{
	struct pki_pgp_pkesk *k, *grown;
	static const unsigned char zero[8];
	bool wildcard = memcmp(m->head + 1, zero, 8) == 0;
	size_t i;

	if (m->head[0] != 3) {
		malformed(m, "a session key packet of version %d", m->head[0]);
		return 0;
	}
	if (m->npkesk == PKI_PGP_PKESK_MAX) {
		malformed(m, "more than %d session key packets", PKI_PGP_PKESK_MAX);
		return 0;
	}
	if ((grown = pki_row_grow(m->pkesk, m->npkesk, &m->cap, sizeof(*grown))) == NULL)
		return pki_error(PKI_EINTERNAL, "session key packets: out of memory");
	m->pkesk = grown;
	k = &m->pkesk[m->npkesk];
	for (i = 0; i < 8; i++)
		snprintf(k->keyid + 2 * i, 3, "%02X", m->head[1 + i]);
	k->algo = m->head[9];
	if (wildcard) {
		m->wildcard = true;
		extra(m, X_WILDCARD, "a session key packet with a wildcard key ID, "
		      "which any secret key may open");
	}
	for (i = 0; i < m->npkesk && !wildcard; i++)
		if (strcmp(m->pkesk[i].keyid, k->keyid) == 0)
			extra(m, X_TWICE, "two session key packets for key %s, one of which "
			      "may open with another key", k->keyid);
	m->npkesk++;
	return 0;
}

/* A header is complete: what packet comes, and may it come here? */
static int header_end(struct pki_pgp_msg *m)
{
	unsigned char *h = m->hdr;
	bool isnew = h[0] & 0x40;
	size_t i;

	m->tag = isnew ? h[0] & 0x3f : (h[0] >> 2) & 0x0f;
	m->nhead = 0;
	m->partial = false;
	if (isnew) {
		m->left = new_length(h + 1, &m->partial);
	} else if ((h[0] & 3) == 3) {
		m->state = S_REST;
	} else {
		for (m->left = 0, i = 1; i < m->nhdr; i++)
			m->left = m->left << 8 | h[i];
	}
	m->nhdr = 0;
	if (m->tag == 0) {
		malformed(m, "a packet of tag 0");
		return 0;
	}
	if ((m->partial || m->state == S_REST) && !data_tag(m->tag)) {
		malformed(m, "a packet of tag %d with a %s length", m->tag,
			  m->partial ? "partial" : "indeterminate");
		return 0;
	}
	switch (m->tag) {
	case T_PKESK:
		if (m->left < 10 || m->left > PKESK_BODY_MAX) {
			malformed(m, "a session key packet of %llu bytes",
				  (unsigned long long)m->left);
			return 0;
		}
		break;
	case T_SKESK:
		extra(m, X_SKESK, "a symmetric-key session key packet, which a passphrase opens");
		break;
	case T_SEIPD:
		break;
	case T_SED:
		malformed(m, "encrypted data without integrity protection (tag 9)");
		return 0;
	case T_AEAD:
		malformed(m, "AEAD encrypted data (tag 20), which gpg 2.2 does not read");
		return 0;
	default:
		extra(m, X_BEFORE, "a packet of tag %d before the encrypted data", m->tag);
		break;
	}
	if (m->state == S_REST)
		return 0;
	m->state = S_BODY;
	return m->left == 0 ? body_end(m) : 0;
}

/* A piece of a body is read: another length, or the packet's end. */
static int body_end(struct pki_pgp_msg *m)
{
	if (m->partial) {
		m->state = S_LEN;
		return 0;
	}
	m->state = S_HDR;
	if (m->tag == T_PKESK)
		return pkesk(m);
	if (m->tag == T_SEIPD) {
		if (m->nhead == 0)
			malformed(m, "an empty encrypted data packet");
		m->data = true;
	}
	return 0;
}

/* Keep the first octets of a session key packet, and the version of the
 * encrypted data. */
static void body(struct pki_pgp_msg *m, const unsigned char *p, size_t n)
{
	size_t want = m->tag == T_PKESK ? sizeof(m->head) : m->tag == T_SEIPD ? 1 : 0;
	size_t k = want - m->nhead < n ? want - m->nhead : n;

	if (m->nhead >= want)
		return;
	memcpy(m->head + m->nhead, p, k);
	m->nhead += k;
	if (m->tag == T_SEIPD && m->head[0] != 1)
		malformed(m, "encrypted data of version %d", m->head[0]);
}

static int header_octet(struct pki_pgp_msg *m, unsigned char c)
{
	bool len = m->state == S_LEN;

	if (!len && m->nhdr == 0) {
		if (m->data) {
			/* Whatever follows is outside the encryption. */
			if (c & 0x80)
				extra(m, X_AFTER, "a packet of tag %d after the encrypted data",
				      c & 0x40 ? c & 0x3f : (c >> 2) & 0x0f);
			else
				extra(m, X_AFTER, "bytes after the encrypted data");
			m->done = true;
			return 0;
		}
		if (!(c & 0x80)) {
			malformed(m, "no OpenPGP packet at byte %llu", (unsigned long long)m->off);
			return 0;
		}
	}
	m->hdr[m->nhdr++] = c;
	if (m->nhdr < needs(m->hdr, m->nhdr, len))
		return 0;
	if (!len)
		return header_end(m);
	m->left = new_length(m->hdr, &m->partial);
	m->nhdr = 0;
	m->state = S_BODY;
	return m->left == 0 ? body_end(m) : 0;
}

int pki_pgp_feed(void *ctx, const void *data, size_t len)
{
	struct pki_pgp_msg *m = ctx;
	const unsigned char *p = data;
	size_t k;
	int rc = 0;

	while (len > 0 && !m->done && rc == 0) {
		if (m->state == S_HDR || m->state == S_LEN) {
			k = 1;
			rc = header_octet(m, *p);
		} else {
			k = m->state == S_REST || m->left > len ? len : (size_t)m->left;
			body(m, p, k);
			if (m->state == S_BODY && (m->left -= k) == 0 && !m->done)
				rc = body_end(m);
		}
		p += k;
		len -= k;
		m->off += k;
	}
	if (rc < 0)
		return rc;
	if (m->done)
		return pki_error(PKI_EDATA, "%s", m->malformed ? m->why : m->extra[m->nextra - 1]);
	return 0;
}

void pki_pgp_finish(struct pki_pgp_msg *m)
{
	if (m->done)
		return;
	if (m->state == S_REST) {
		/* Old-format data to the end of the input: never encrypted
		 * data pki writes (tag 18 has only the new format). */
		m->state = S_HDR;
	} else if (m->state == S_HDR && m->nhdr > 0) {
		malformed(m, "cut short at byte %llu, in a packet header", (unsigned long long)m->off);
		return;
	} else if (m->state != S_HDR) {
		malformed(m, "cut short at byte %llu, in a packet of tag %d",
			  (unsigned long long)m->off, m->tag);
		return;
	}
	if (m->off == 0)
		malformed(m, "an empty file");
	else if (!m->data)
		malformed(m, "no encrypted data packet");
	m->done = true;
}

/* RSA (1, 2, 3) and Elgamal (16, 20) have more than one number. */
static int family(int algo)
{
	if (algo == 2 || algo == 3)
		return 1;
	return algo == 20 ? 16 : algo;
}

bool pki_pgp_algo_fits(int pkesk, int key)
{
	return family(pkesk) == family(key);
}

int pki_pgp_read(struct pki_pgp_msg *m, const void *data, size_t len)
{
	int rc;

	pki_pgp_msg_init(m);
	if ((rc = pki_pgp_feed(m, data, len)) < 0 && !m->done) {
		pki_pgp_msg_release(m);
		return rc;
	}
	pki_pgp_finish(m);
	return 0;
}
