/* sync-merge.c: the semantic merge of lists and labels (sync-merge.h).
 * Pure: labels and lists in, merged ones out. */
#include <stdbool.h>
#include <string.h>

#include "sync-merge.h"
#include "vocab.h"

static bool has(char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

int pki_list_merge3(struct pki_names *out, char *const *base, size_t nbase,
		    char *const *ours, size_t nours, char *const *theirs, size_t ntheirs)
{
	size_t i;
	int rc;

	/* Ours' name stays unless theirs took it off (it was in base). */
	for (i = 0; i < nours; i++)
		if ((has(theirs, ntheirs, ours[i]) || !has(base, nbase, ours[i])) &&
		    !pki_names_has(out, ours[i]) && (rc = pki_names_add(out, ours[i])) < 0)
			return rc;
	/* Theirs' additions come in, unless ours took them off. */
	for (i = 0; i < ntheirs; i++)
		if (!has(ours, nours, theirs[i]) && !has(base, nbase, theirs[i]) &&
		    !pki_names_has(out, theirs[i]) && (rc = pki_names_add(out, theirs[i])) < 0)
			return rc;
	return 0;
}

#define SWAP(a, b)                        \
	do {                              \
		__typeof__(a) swap_ = (a); \
		(a) = (b);                \
		(b) = swap_;              \
	} while (0)

/* Move field `bit` from theirs into ours (ours' old value into theirs). */
static void take(struct pki_label *o, struct pki_label *t, unsigned bit)
{
	switch (bit) {
	case PKI_LF_ID: SWAP(o->id, t->id); break;
	case PKI_LF_LEVEL: SWAP(o->level, t->level); break;
	case PKI_LF_CRITERION: SWAP(o->criterion, t->criterion); break;
	case PKI_LF_ORIGINATOR:
		SWAP(o->originator, t->originator);
		SWAP(o->received, t->received);
		break;
	case PKI_LF_REGISTRAR: SWAP(o->registrar, t->registrar); break;
	case PKI_LF_CREATED: SWAP(o->created, t->created); break;
	case PKI_LF_REVIEW: SWAP(o->review, t->review); break;
	case PKI_LF_AREAS: SWAP(o->areas, t->areas); break;
	case PKI_LF_ORIGINATOR_CONTROL: SWAP(o->originator_control, t->originator_control); break;
	case PKI_LF_RELEASABLE: SWAP(o->releasable, t->releasable); break;
	case PKI_LF_SAFETY: SWAP(o->safety, t->safety); break;
	case PKI_LF_IR:
		SWAP(o->ir, t->ir);
		SWAP(o->nir, t->nir);
		break;
	case PKI_LF_KIND: SWAP(o->kind, t->kind); break;
	case PKI_LF_RETENTION: SWAP(o->retention, t->retention); break;
	case PKI_LF_DISPOSED: SWAP(o->disposed, t->disposed); break;
	default: break;
	}
}

unsigned pki_label_merge3(struct pki_label *ours, const struct pki_label *base,
			  struct pki_label *theirs)
{
	const unsigned mine = PKI_LF_ALL & ~(unsigned)(PKI_LF_DISTRIBUTION | PKI_LF_BINDING);
	unsigned dours = pki_label_diff(base, ours) & mine;
	unsigned dtheirs = pki_label_diff(base, theirs) & mine;
	unsigned apart = pki_label_diff(ours, theirs) & mine, conflicts = 0, bit;

	for (bit = 1; bit & PKI_LF_ALL; bit <<= 1) {
		if (!(dtheirs & bit) || !(apart & bit))
			continue;	/* theirs left it, or agrees */
		if (dours & bit)
			conflicts |= bit;
		else
			take(ours, theirs, bit);
	}
	return conflicts;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

enum pki_merge_kind pki_merge_kind_of(const char *path)
{
	char id[64];

	if (strncmp(path, "registry/", 9) == 0 && strchr(path + 9, '/') == NULL &&
	    ends_with(path, ".csv"))
		return PKI_MERGE_REGISTRY;
	if (strchr(path, '/') == NULL && ends_with(path, ".csv"))
		return PKI_MERGE_TABLE;
	if (pki_merge_product_id(path, id, sizeof(id)))
		return PKI_MERGE_PRODUCT;
	return PKI_MERGE_OTHER;
}

int pki_merge_product_id(const char *path, char *id, size_t size)
{
	const char *name, *dot;

	if (strncmp(path, "products/", 9) != 0 || (name = strchr(path + 9, '/')) == NULL ||
	    strchr(++name, '/') != NULL || (dot = strrchr(name, '.')) == NULL ||
	    (strcmp(dot, ".gpg") != 0 && strcmp(dot, ".xml") != 0) ||
	    (size_t)(dot - name) >= size || dot == name)
		return 0;
	memcpy(id, name, (size_t)(dot - name));
	id[dot - name] = '\0';
	return 1;
}
