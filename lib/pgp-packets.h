/* pgp-packets.h: a product's ciphertext judged packet by packet.
 *
 * The audit must know who can read a ciphertext with no secret key and
 * without trusting anything the ciphertext says about itself beyond its
 * packet framing (RFC 4880 4.2).  A product's ciphertext is, and is only:
 *
 *	PKESK*  SEIPD
 *
 * zero or more public-key encrypted session key packets (tag 1, version
 * 3), each naming a key, then one symmetrically encrypted integrity
 * protected data packet (tag 18, version 1), then the end.  Anything else
 * is either not such a message at all (malformed: cut short, no packets,
 * lengths that do not frame, a kind of encryption gpg 2.2 does not write)
 * or a way in besides the named keys (extra): a passphrase (SKESK, tag 3),
 * a wildcard key ID (gpg then tries every secret key it has), one key ID
 * named twice (one of the two may be encrypted to someone else's key),
 * any other packet before the encrypted data, anything after it.
 *
 * The reader takes the message in pieces of any size as it streams (a
 * struct pki_sink), holds a few bytes of state and the session key
 * packets' key IDs (at most PKI_PGP_PKESK_MAX) whatever the message's
 * size, and never reads a byte twice.
 */
#ifndef PKI_PGP_PACKETS_H
#define PKI_PGP_PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKI_PGP_KEYID_LEN 17	/* 16 hex + NUL */
#define PKI_PGP_PKESK_MAX 1024	/* session key packets in one message */
#define PKI_PGP_WHY_LEN 160
#define PKI_PGP_EXTRA_MAX 5	/* one reason of each kind */

struct pki_pgp_pkesk {
	char keyid[PKI_PGP_KEYID_LEN];	/* upper-case hex; all zeros: wildcard */
	int algo;		/* public-key algorithm (RFC 4880 9.1) */
};

struct pki_pgp_msg {
	/* What the reader found. */
	struct pki_pgp_pkesk *pkesk;	/* in the message's order */
	size_t npkesk;
	bool wildcard;		/* a PKESK names no key */
	bool malformed;		/* not a product's ciphertext: why says why */
	char why[PKI_PGP_WHY_LEN];
	size_t nextra;		/* ways in besides the named keys */
	char extra[PKI_PGP_EXTRA_MAX][PKI_PGP_WHY_LEN];
	bool done;		/* judged: later bytes change nothing */
	uint64_t off;		/* bytes read */

	/* The reader's state, private. */
	int state;
	int tag;		/* the packet being read */
	bool partial;		/* its body comes in partial lengths */
	unsigned char hdr[6];	/* a header or length being read */
	size_t nhdr;
	uint64_t left;		/* body bytes left in this piece */
	unsigned char head[10];	/* the start of a PKESK's or data packet's body */
	size_t nhead;
	bool data;		/* the encrypted data packet was read */
	unsigned kinds;		/* which kinds of extra are recorded */
	size_t cap;
};

void pki_pgp_msg_init(struct pki_pgp_msg *m);
void pki_pgp_msg_release(struct pki_pgp_msg *m);

/*
 * Feed the next len bytes.  0 to go on; -PKI_EDATA once m->done, when the
 * rest need not be read (malformed, or something after the encrypted
 * data); -PKI_EINTERNAL out of memory.  A struct pki_sink write function
 * (ctx is the struct pki_pgp_msg *).
 */
int pki_pgp_feed(void *m, const void *data, size_t len);

/* The end of the message: judges what a message cut short lacks. */
void pki_pgp_finish(struct pki_pgp_msg *m);

/* Can a key of algorithm key open a session key packet of algorithm
 * pkesk (both as RFC 4880 9.1 numbers them)? */
bool pki_pgp_algo_fits(int pkesk, int key);

/* A whole message in memory: init, feed, finish.  0, or -PKI_EINTERNAL
 * out of memory (m is then released). */
int pki_pgp_read(struct pki_pgp_msg *m, const void *data, size_t len);

#endif
