/* recipients-test: a product's ciphertext read packet by packet (RFC 4880
 * 4.2) without a secret key, for the audit: the key IDs of its PKESK
 * packets (5.1), then one encrypted data packet, then nothing; gpg frames
 * a large product's encrypted data with partial body lengths (4.2.2.4).
 * Every other shape is malformed (A403) or a way in besides the named
 * keys (A404), and the verdict is the same however the bytes are cut. */
#include <stdlib.h>
#include <string.h>

#include "pgp-packets.h"
#include "tap.h"

/* A v3 PKESK packet (new format, tag 1) to key ID 0102030405060708,
 * algorithm 18 (ECDH). */
#define PKESK(b) 0xc1, 12, 3, 1, 2, 3, 4, 5, 6, 7, b, 18, 0xaa, 0xbb
/* The same in the old format (tag 1, one-octet length), as gpg 2.2
 * writes it. */
#define PKESK_OLD(b) 0x84, 12, 3, 1, 2, 3, 4, 5, 6, 7, b, 18, 0xaa, 0xbb
/* SEIPD (tag 18), version 1, a definite length of 4. */
#define SEIPD 0xd2, 4, 1, 0xde, 0xad, 0xbe

#define MSG(name, ...) \
	static const unsigned char name[] = { __VA_ARGS__ }

static void feed_all(struct pki_pgp_msg *m, const unsigned char *p, size_t n, size_t step)
{
	size_t k;

	pki_pgp_msg_init(m);
	for (; n > 0 && !m->done; p += k, n -= k) {
		k = n < step ? n : step;
		(void)pki_pgp_feed(m, p, k);
	}
	pki_pgp_finish(m);
}

/* The same verdict whole and one byte at a time. */
static void same_cut(const char *what, const unsigned char *p, size_t n)
{
	struct pki_pgp_msg a, b;
	size_t i;
	int same;

	feed_all(&a, p, n, n ? n : 1);
	feed_all(&b, p, n, 1);
	same = a.malformed == b.malformed && a.nextra == b.nextra && a.npkesk == b.npkesk &&
	       strcmp(a.why, b.why) == 0;
	for (i = 0; same && i < a.nextra; i++)
		same = strcmp(a.extra[i], b.extra[i]) == 0;
	for (i = 0; same && i < a.npkesk; i++)
		same = strcmp(a.pkesk[i].keyid, b.pkesk[i].keyid) == 0;
	ok(same, "%s: the same, one byte at a time", what);
	pki_pgp_msg_release(&a);
	pki_pgp_msg_release(&b);
}

static void good(const char *what, const unsigned char *p, size_t n, size_t npkesk)
{
	struct pki_pgp_msg m;

	is_int(pki_pgp_read(&m, p, n), 0, "%s: read", what);
	ok(!m.malformed && m.nextra == 0, "%s: good%s%s", what, m.why, m.nextra ? m.extra[0] : "");
	is_int(m.npkesk, npkesk, "%s: %zu session key packets", what, npkesk);
	if (m.npkesk > 0) {
		is_str(m.pkesk[0].keyid, "0102030405060708", "%s: the first key ID", what);
		is_int(m.pkesk[0].algo, 18, "%s: its algorithm", what);
	}
	pki_pgp_msg_release(&m);
	same_cut(what, p, n);
}

static void bad(const char *what, const unsigned char *p, size_t n, const char *why)
{
	struct pki_pgp_msg m;

	pki_pgp_read(&m, p, n);
	ok(m.malformed, "%s: malformed", what);
	ok(strstr(m.why, why) != NULL, "%s: '%s'", what, m.why);
	pki_pgp_msg_release(&m);
	same_cut(what, p, n);
}

static void extra(const char *what, const unsigned char *p, size_t n, const char *why)
{
	struct pki_pgp_msg m;

	pki_pgp_read(&m, p, n);
	ok(!m.malformed, "%s: well formed%s", what, m.why);
	ok(m.nextra == 1 && strstr(m.extra[0], why) != NULL, "%s: '%s'", what,
	   m.nextra ? m.extra[0] : "");
	pki_pgp_msg_release(&m);
	same_cut(what, p, n);
}

/* A PKESK, then SEIPD of body bytes in partial pieces of 2^13 (first
 * ones) and a definite rest, then tail bytes. */
static unsigned char *partial_message(size_t body, size_t pieces, const unsigned char *tail,
				      size_t ntail, size_t *len)
{
	static const unsigned char pk[] = { PKESK_OLD(8) };
	size_t rest = body - pieces * 8192, n = 0, i;
	unsigned char *m = calloc(1, sizeof(pk) + 2 + body + pieces + 6 + ntail);

	if (m == NULL)
		return NULL;
	memcpy(m, pk, sizeof(pk));
	n = sizeof(pk);
	m[n++] = 0xd2;
	for (i = 0; i < pieces; i++) {
		m[n++] = 0xed;	/* 2^13; after the first, no tag octet before it */
		if (i == 0)
			m[n] = 1;	/* version */
		n += 8192;
	}
	m[n++] = 0xff;
	m[n++] = (unsigned char)(rest >> 24);
	m[n++] = (unsigned char)(rest >> 16);
	m[n++] = (unsigned char)(rest >> 8);
	m[n++] = (unsigned char)rest;
	if (pieces == 0)
		m[n] = 1;
	n += rest;
	if (ntail > 0)
		memcpy(m + n, tail, ntail);
	*len = n + ntail;
	return m;
}

int main(void)
{
	MSG(one, PKESK(8), SEIPD);
	MSG(two, PKESK(8), PKESK_OLD(9), SEIPD);
	MSG(none, SEIPD);
	/* Two-octet and five-octet definite lengths. */
	MSG(two_octet, PKESK(8), 0xd2, 0xc0, 0x00, 1, [14 + 3 + 191] = 0);
	MSG(five_octet, PKESK(8), 0xd2, 0xff, 0, 0, 0, 2, 1, 0);
	/* Old-format lengths of two and four octets for the PKESK. */
	MSG(old2, 0x85, 0, 12, 3, 1, 2, 3, 4, 5, 6, 7, 8, 18, 0, 0, SEIPD);
	MSG(old4, 0x86, 0, 0, 0, 12, 3, 1, 2, 3, 4, 5, 6, 7, 8, 18, 0, 0, SEIPD);
	/* Partial pieces of 1, 2 and 4 bytes, then a definite 0. */
	MSG(tiny_pieces, PKESK(8), 0xd2, 0xe0, 1, 0xe1, 0, 0, 0xe2, 0, 0, 0, 0, 0x00);

	MSG(skesk, PKESK(8), 0xc3, 4, 4, 9, 2, 0, SEIPD);
	MSG(skesk_old, 0x8c, 4, 4, 9, 2, 0, PKESK(8), SEIPD);
	MSG(wildcard, 0xc1, 12, 3, 0, 0, 0, 0, 0, 0, 0, 0, 18, 0, 0, SEIPD);
	MSG(twice, PKESK(8), PKESK_OLD(8), SEIPD);
	MSG(marker, 0xca, 3, 'P', 'G', 'P', PKESK(8), SEIPD);
	MSG(literal_before, 0xcb, 3, 'b', 0, 0, PKESK(8), SEIPD);
	MSG(literal_after, PKESK(8), SEIPD, 0xcb, 3, 'b', 0, 0);
	MSG(second_data, PKESK(8), SEIPD, SEIPD);
	MSG(pkesk_after, PKESK(8), SEIPD, PKESK(9));
	MSG(junk_after, PKESK(8), SEIPD, 'p', 'l', 'a', 'i', 'n');

	MSG(cut_body, PKESK(8), 0xd2, 20, 1, 2, 3);
	MSG(cut_header, PKESK(8), 0xd2, 0xff, 0, 0);
	MSG(cut_pkesk, 0xc1, 12, 3, 1, 2);
	MSG(cut_piece, PKESK(8), 0xd2, 0xe1, 1, 0);
	MSG(no_data, PKESK(8));
	MSG(version2, PKESK(8), 0xd2, 4, 2, 0, 0, 0);
	MSG(pkesk_v6, 0xc1, 12, 6, 1, 2, 3, 4, 5, 6, 7, 8, 18, 0, 0, SEIPD);
	MSG(pkesk_short, 0xc1, 9, 3, 1, 2, 3, 4, 5, 6, 7, 8, SEIPD);
	MSG(sed, PKESK(8), 0xc9, 3, 0, 0, 0);
	MSG(sed_old_indeterminate, PKESK(8), 0xa7, 1, 2, 3, 4, 5, 6);
	MSG(literal_indeterminate, PKESK(8), 0xaf, 'b', 0, 0, 0, 0);
	MSG(aead, PKESK(8), 0xd4, 3, 1, 0, 0);
	MSG(partial_pkesk, 0xc1, 0xe1, 3, 1, 0xc0, SEIPD);
	MSG(tag0, 0xc0, 0, SEIPD);
	MSG(empty_data, PKESK(8), 0xd2, 0);
	static const unsigned char text[] = "not openpgp";
	unsigned char *big, many[1100 * 14 + 6];
	struct pki_pgp_msg m;
	size_t n, i;

	good("one recipient", one, sizeof(one), 1);
	good("two recipients, old and new format", two, sizeof(two), 2);
	good("no recipient", none, sizeof(none), 0);
	good("a two-octet length", two_octet, sizeof(two_octet), 1);
	good("a five-octet length", five_octet, sizeof(five_octet), 1);
	good("an old two-octet length", old2, sizeof(old2), 1);
	good("an old four-octet length", old4, sizeof(old4), 1);
	good("pieces of 1, 2 and 4 bytes", tiny_pieces, sizeof(tiny_pieces), 1);

	extra("a passphrase", skesk, sizeof(skesk), "symmetric-key session key packet");
	extra("a passphrase first, old format", skesk_old, sizeof(skesk_old),
	      "symmetric-key session key packet");
	extra("a wildcard key ID", wildcard, sizeof(wildcard), "wildcard key ID");
	extra("one key ID twice", twice, sizeof(twice), "two session key packets for key "
	      "0102030405060708");
	extra("a marker packet before", marker, sizeof(marker), "tag 10 before");
	extra("a literal packet before", literal_before, sizeof(literal_before), "tag 11 before");
	extra("a literal packet after", literal_after, sizeof(literal_after), "tag 11 after");
	extra("a second encrypted data packet", second_data, sizeof(second_data), "tag 18 after");
	extra("a session key packet after", pkesk_after, sizeof(pkesk_after), "tag 1 after");
	extra("bytes after", junk_after, sizeof(junk_after), "bytes after the encrypted data");
	pki_pgp_read(&m, wildcard, sizeof(wildcard));
	ok(m.wildcard && m.npkesk == 1 && strcmp(m.pkesk[0].keyid, "0000000000000000") == 0,
	   "a wildcard: told, its key ID all zeros");
	pki_pgp_msg_release(&m);
	pki_pgp_read(&m, twice, sizeof(twice));
	is_int(m.npkesk, 2, "one key ID twice: both packets listed");
	pki_pgp_msg_release(&m);

	bad("no packets", text, sizeof(text) - 1, "no OpenPGP packet at byte 0");
	bad("an empty file", text, 0, "an empty file");
	bad("a body cut short", cut_body, sizeof(cut_body), "cut short");
	bad("a header cut short", cut_header, sizeof(cut_header), "cut short");
	bad("a session key packet cut short", cut_pkesk, sizeof(cut_pkesk), "cut short");
	bad("partial pieces cut short", cut_piece, sizeof(cut_piece), "cut short");
	bad("no encrypted data", no_data, sizeof(no_data), "no encrypted data packet");
	bad("encrypted data of version 2", version2, sizeof(version2), "version 2");
	bad("a session key packet of version 6", pkesk_v6, sizeof(pkesk_v6), "version 6");
	bad("a session key packet too short", pkesk_short, sizeof(pkesk_short), "of 9 bytes");
	bad("no integrity protection", sed, sizeof(sed), "tag 9");
	bad("no integrity protection, old format to the end", sed_old_indeterminate,
	    sizeof(sed_old_indeterminate), "tag 9");
	bad("a literal packet to the end", literal_indeterminate, sizeof(literal_indeterminate),
	    "no encrypted data packet");
	bad("AEAD", aead, sizeof(aead), "tag 20");
	bad("a session key packet in pieces", partial_pkesk, sizeof(partial_pkesk), "partial");
	bad("tag 0", tag0, sizeof(tag0), "tag 0");
	bad("an empty encrypted data packet", empty_data, sizeof(empty_data), "empty");

	ok(pki_pgp_algo_fits(18, 18) && pki_pgp_algo_fits(1, 2) && pki_pgp_algo_fits(16, 20),
	   "algorithms: ECDH opens ECDH; RSA and Elgamal under each of their numbers");
	ok(!pki_pgp_algo_fits(1, 18) && !pki_pgp_algo_fits(18, 16),
	   "algorithms: RSA is not ECDH, ECDH not Elgamal");

	/* Bounded: more session key packets than the reader keeps. */
	for (n = 0, i = 0; i < 1100; i++) {
		static const unsigned char pk[] = { PKESK(8) };

		memcpy(many + n, pk, sizeof(pk));
		many[n + 9] = (unsigned char)(i >> 8);
		many[n + 10] = (unsigned char)i;
		n += sizeof(pk);
	}
	memcpy(many + n, (const unsigned char[]){ SEIPD }, 6);
	bad("too many session key packets", many, n + 6, "more than 1024");

	/* What gpg writes for a large product: partial pieces of 2^13. */
	if ((big = partial_message(5 * 8192 + 100, 5, NULL, 0, &n)) != NULL) {
		struct pki_pgp_msg a;
		size_t step;

		good("partial body lengths", big, n, 1);
		for (step = 2; step < 20; step++) {
			feed_all(&a, big, n, step);
			if (a.malformed || a.nextra != 0 || a.npkesk != 1)
				break;
			pki_pgp_msg_release(&a);
		}
		ok(step == 20, "partial body lengths: every cut of 2 to 19 bytes reads it");
		pki_pgp_msg_release(&a);
		bad("partial body lengths cut short", big, n - 1, "cut short");
		free(big);
	}
	if ((big = partial_message(3 * 8192 + 7, 3, (const unsigned char *)"\xcb\x03" "b\0\0", 5,
				   &n)) != NULL) {
		extra("partial body lengths, a literal packet after", big, n, "tag 11 after");
		free(big);
	}
	return done_testing();
}
