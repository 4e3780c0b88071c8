/* crypto.h: OpenPGP through GPGME (GPGME only here).
 *
 * Authorisation never comes from gpg's web of trust: encryption uses
 * always-trust, and callers compare fingerprints with the access matrix.
 */
#ifndef PKI_CRYPTO_H
#define PKI_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "buf.h"

struct pki_gpg;

/* One context, on $GNUPGHOME (or gpg's default), binary output. */
int pki_gpg_new(struct pki_gpg **out);
void pki_gpg_free(struct pki_gpg *g);

#define PKI_KEYID_LEN 17	/* 16 hex + NUL */

struct pki_key {
	char fpr[41];		/* primary key fingerprint, upper-case hex */
	char *name;		/* first user ID's name, may be "" */
	char *email;		/* first user ID's e-mail, may be "" */
	bool uid_ok;		/* the first user ID is one "Name <address>" */
	char **emails;		/* the address of every user ID that is */
	size_t nemails;
	bool can_encrypt;	/* has a usable (unexpired, unrevoked) encryption subkey */
	bool can_sign;
	bool expired, revoked, disabled, invalid;
	bool secret;		/* a secret key is present (for signing) */
	size_t nsubkeys;
	char (*keyids)[PKI_KEYID_LEN];	/* every subkey's key ID, primary first */
	int *algos;		/* and its public-key algorithm (RFC 4880 9.1) */
	bool *subrevoked;	/* which of them are revoked */
};
void pki_key_release(struct pki_key *k);
/* A deep copy of k into out (released with pki_key_release). */
int pki_key_copy(struct pki_key *out, const struct pki_key *k);
/* Is fpr (a fingerprint or key ID) this key or one of its subkeys? */
bool pki_key_has(const struct pki_key *k, const char *fpr);
/* Does this key show fpr (itself or one of its subkeys) revoked? */
bool pki_key_revoked(const struct pki_key *k, const char *fpr);

/*
 * A user ID that names one identity, "Name <address>": the name holds no
 * '<' or '>', the address one '@' between non-empty parts and no space,
 * '<' or '>', and nothing follows it; no control characters anywhere.
 * The address (malloc'd) into *email, or -PKI_EDATA.  A user ID with two
 * addresses would let a key author commits in another's name.
 */
int pki_uid_parse(const char *uid, char **email);

/*
 * Read the keys in data without importing them (for validation before
 * anything changes).  Exactly one key, else -PKI_EDATA.
 */
int pki_gpg_inspect(struct pki_gpg *g, const void *data, size_t len, struct pki_key *out);

/* Which of fprs are not in the keyring: missing[i] set for each. */
int pki_gpg_missing(struct pki_gpg *g, const char *const *fprs, size_t n, bool *missing);

/*
 * Find one key by fingerprint, key ID or user ID fragment.  secret: only
 * keys with a secret part.  -PKI_EUNAVAIL when none, -PKI_EUSAGE when the
 * spec is ambiguous.
 */
int pki_gpg_key(struct pki_gpg *g, const char *spec, bool secret, struct pki_key *out);

/*
 * pki_gpg_key(g, fpr, true, out) for a fingerprint, listing in the same
 * gpg process the keys of also, which later pki_gpg_missing calls then
 * need not ask for: one key listing for the acting key and the
 * recipients of a change.
 */
int pki_gpg_signer_and(struct pki_gpg *g, const char *fpr, const char *const *also,
		       size_t n, struct pki_key *out);

/*
 * pki_gpg_signer_and in two halves: _start lists the keys on a thread of
 * its own and returns at once, so that the caller can read, judge and
 * encrypt meanwhile (encryption needs no listing); _finish waits for it
 * and fills out as pki_gpg_signer_and does.  Until then g answers every
 * question about keys (a look-up, pki_gpg_missing, a signature) only
 * after waiting for the listing.
 */
int pki_gpg_signer_and_start(struct pki_gpg *g, const char *fpr, const char *const *also,
			     size_t n);
int pki_gpg_signer_and_finish(struct pki_gpg *g, struct pki_key *out);

/*
 * Import exactly one public key from data (armored or binary).  Refuses
 * (-PKI_EDATA) input that holds no key or more than one; fills the key.
 */
int pki_gpg_import(struct pki_gpg *g, const void *data, size_t len, struct pki_key *out);

/* The armored public key of fpr. */
int pki_gpg_export(struct pki_gpg *g, const char *fpr, struct pki_buf *out);

/* A detached, armored signature of data by fpr, with no trailing newline
 * (what git_commit_create_with_signature wants). */
int pki_gpg_sign(struct pki_gpg *g, const char *fpr, const void *data, size_t len,
		 struct pki_buf *sig);

/* The GPGME error code of a passphrase that could not be asked for: no
 * terminal for pinentry (cron), no pinentry.  pki_gpg_sign then says what
 * to do instead of gpg's "Inappropriate ioctl for device". */
bool pki_gpg_no_pinentry(unsigned code);

/*
 * Verify a detached signature.  On a good signature fills signer with the
 * fingerprint of the key that made it (a subkey's, when a subkey signed:
 * match it with pki_key_has) and returns 0; a bad signature, several
 * signatures or a key not in the keyring is -PKI_EDATA with the reason.
 * A good signature by a key the keyring now holds revoked is good too,
 * with *revoked set: when it was made is for the caller to judge.
 */
int pki_gpg_verify(struct pki_gpg *g, const void *sig, size_t siglen,
		   const void *data, size_t len, char signer[41], bool *revoked);
/*
 * A context that only verifies, for callers that judge the signer
 * themselves: gpg leaves its trust database alone (trust-model always),
 * a quarter of the system calls of each verification.  Revoked and
 * expired keys are reported as before: that is the key's, not trust.
 */
int pki_gpg_verifier(struct pki_gpg *g);

/*
 * Encrypt the source to the given primary fingerprints (always-trust),
 * writing the ciphertext to the sink as it is produced.
 */
int pki_gpg_encrypt(struct pki_gpg *g, const char *const *fprs, size_t n,
		    struct pki_source *in, struct pki_sink *out, bool armor);

/*
 * Decrypt to the sink.  The sink sees plaintext: it must keep it in memory
 * and wipe it.  -PKI_EUNAVAIL when no secret key here can decrypt.
 */
int pki_gpg_decrypt(struct pki_gpg *g, struct pki_source *in, struct pki_sink *out);

/* Decrypt and encrypt again to fprs, the plaintext held only in memory
 * and wiped; armor as for pki_gpg_encrypt. */
int pki_gpg_reencrypt(struct pki_gpg *g, const char *const *fprs, size_t n,
		      struct pki_source *in, struct pki_sink *out, bool armor);

/* Re-encryption as above, the result signed by signer (a fingerprint
 * with a secret key here) as well: an exported copy (pki-share(1)). */
int pki_gpg_reencrypt_signed(struct pki_gpg *g, const char *const *fprs, size_t n,
			     const char *signer, struct pki_source *in, struct pki_sink *out,
			     bool armor);

/* What opening a signed and encrypted copy found. */
#define PKI_OPENED_KEYIDS_MAX 8
struct pki_opened {
	char keyids[PKI_OPENED_KEYIDS_MAX][PKI_KEYID_LEN];	/* encrypted to */
	size_t nkeyids;
	bool signed_ok;		/* one good signature, by signer */
	char signer[41];	/* the signing key's fingerprint (a subkey's, maybe) */
	time_t signed_at;
	char why[256];		/* !signed_ok: why not */
};

/*
 * Decrypt in to out (which sees plaintext: keep it in memory, wipe it)
 * and verify the signature it carries.  The recipients are filled even
 * when decryption fails (-PKI_EUNAVAIL: no secret key here); the
 * signature is for the caller to judge from o.
 */
int pki_gpg_open(struct pki_gpg *g, struct pki_source *in, struct pki_sink *out,
		 struct pki_opened *o);

#endif
