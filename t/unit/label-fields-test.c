/* label-fields-test: which fields differ between two labels
 * (pki_label_diff), and which action owns which field (lib/policy.c:
 * pki_policy_label_owns, pki_policy_label_change).  No git, no gpg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "label.h"
#include "policy.h"
#include "tap.h"

#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_NIL "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* The label holds non-const strings; these are never written. */
#define S(lit) ((char *)(lit))

#define A(x) (1u << PKI_ACTION_##x)

static char *ir_list[] = { S("PIR-3"), S("IR 2026/7") };
static char *ir_other[] = { S("PIR-3"), S("IR 2026/8") };
static char *dist[] = { S("archives"), S("chair"), S("hom"), S("jmac") };
static char *dist_more[] = { S("archives"), S("chair"), S("fc"), S("hom"), S("jmac") };
static char *dist_turned[] = { S("chair"), S("archives"), S("hom"), S("jmac") };

/* A product received from outside, with every field filled. */
static void sample(struct pki_label *l)
{
	memset(l, 0, sizeof(*l));
	l->id = S("UNMISS-CHAIR-2026-000007");
	l->level = PKI_LEVEL_CONFIDENTIAL;
	l->criterion = 'a';
	l->originator = S("Member State X");
	l->received = true;
	l->registrar = S("chair");
	l->created = 1795691100;	/* 2026-11-26T11:05:00Z */
	l->review = 1811548800;		/* 2027-05-29 */
	l->areas = S("poc");
	l->originator_control = true;
	l->releasable = S("mission");
	l->safety = false;
	l->ir = ir_list;
	l->nir = 2;
	l->recipients = dist;
	l->nrecipients = 4;
	memcpy(l->sha256, SHA_ABC, sizeof(l->sha256));
}

/* One field changed at a time: exactly its bit differs. */
static void diff_one_field(void)
{
	static const struct {
		unsigned bit;
		const char *name;
	} want[] = {
		{ PKI_LF_ID, "id" }, { PKI_LF_LEVEL, "classification" },
		{ PKI_LF_CRITERION, "criterion" }, { PKI_LF_ORIGINATOR, "originator" },
		{ PKI_LF_ORIGINATOR, "originator" }, { PKI_LF_REGISTRAR, "registrar" },
		{ PKI_LF_REGISTRAR, "registrar" }, { PKI_LF_CREATED, "created" },
		{ PKI_LF_REVIEW, "review" }, { PKI_LF_AREAS, "areas" },
		{ PKI_LF_ORIGINATOR_CONTROL, "originator-control" },
		{ PKI_LF_RELEASABLE, "releasable-to" }, { PKI_LF_RELEASABLE, "releasable-to" },
		{ PKI_LF_SAFETY, "safety" }, { PKI_LF_IR, "ir" }, { PKI_LF_IR, "ir" },
		{ PKI_LF_DISTRIBUTION, "distribution" }, { PKI_LF_DISTRIBUTION, "distribution" },
		{ PKI_LF_BINDING, "binding" }, { PKI_LF_KIND, "kind" },
		{ PKI_LF_RETENTION, "retention" },
		{ PKI_LF_DISPOSED, "disposed" }, { PKI_LF_SOURCE, "source" },
	};
	struct pki_label_source src = { S("UNMISS-JMAC-2026-000001"), S("UNMISS"), S("hom"), 1 };
	struct pki_label a, b;
	size_t i;

	sample(&a);
	sample(&b);
	is_int(pki_label_diff(&a, &b), 0, "the same label: no field differs");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		sample(&b);
		switch (i) {
		case 0: b.id = S("UNMISS-CHAIR-2026-000008"); break;
		case 1: b.level = PKI_LEVEL_STRICTLY_CONFIDENTIAL; break;
		case 2: b.criterion = 'b'; break;
		case 3: b.originator = S("Member State Y"); break;
		case 4: b.received = false; break;		/* the same name, not external */
		case 5: b.registrar = S("hom"); break;
		case 6: b.registrar = NULL; break;
		case 7: b.created += 1; break;
		case 8: b.review = 0; break;
		case 9: b.areas = S("poc;crime"); break;
		case 10: b.originator_control = false; break;
		case 11: b.releasable = S("unct"); break;
		case 12: b.releasable = NULL; break;
		case 13: b.safety = true; break;
		case 14: b.ir = ir_other; break;
		case 15: b.nir = 1; break;
		case 16: b.recipients = dist_more; b.nrecipients = 5; break;
		case 17: b.recipients = dist_turned; break;	/* order counts */
		case 18: memcpy(b.sha256, SHA_NIL, sizeof(b.sha256)); break;
		case 19: b.kind = PKI_KIND_MATERIAL; break;
		case 20: b.retention = S("P5Y"); break;
		case 21: b.disposed = 1; break;
		case 22: b.sources = &src; b.nsources = 1; break;
		}
		is_int(pki_label_diff(&a, &b), want[i].bit, "change %zu: only %s differs", i,
		       want[i].name);
		is_int(pki_label_diff(&b, &a), want[i].bit, "change %zu: the other way too", i);
		is_str(pki_label_field_name(want[i].bit), want[i].name, "bit %#x is named %s",
		       want[i].bit, want[i].name);
	}
	sample(&b);
	b.areas = NULL;
	a.areas = S("");
	is_int(pki_label_diff(&a, &b), 0, "no areas: NULL and \"\" are the same");
	b.originator_control = false;
	b.level = PKI_LEVEL_UNCLASSIFIED;
	b.criterion = 0;
	is_int(pki_label_diff(&a, &b), PKI_LF_ORIGINATOR_CONTROL | PKI_LF_LEVEL | PKI_LF_CRITERION,
	       "three fields at once");
	is_str(pki_label_field_name(1u << 18), "(invalid)", "no name past the last field");
}

/* The ownership table, action by action. */
static void owners(void)
{
	unsigned list = PKI_LF_DISTRIBUTION | PKI_LF_BINDING;

	is_int(pki_policy_label_owns(A(CLASSIFY)), PKI_LF_ALL & ~PKI_LF_ID,
	       "classify writes every field but the ID");
	is_int(pki_policy_label_owns(A(RECEIVE)), PKI_LF_ALL & ~PKI_LF_ID,
	       "receive writes every field but the ID");
	is_int(pki_policy_label_owns(A(RECLASSIFY)),
	       PKI_LF_LEVEL | PKI_LF_CRITERION | PKI_LF_REVIEW | list,
	       "reclassify: level, criterion, review date, list, binding");
	is_int(pki_policy_label_owns(A(REVIEW)), PKI_LF_REVIEW, "review: the review date only");
	is_int(pki_policy_label_owns(A(SHARE)), list, "share: list and binding");
	is_int(pki_policy_label_owns(A(REVOKE)), list, "revoke: list and binding");
	is_int(pki_policy_label_owns(A(EXPORT)), 0, "export: nothing");
	is_int(pki_policy_label_owns(A(ARCHIVE)), 0, "archive: nothing");
	is_int(pki_policy_label_owns(A(ARCHIVE_ACK)), 0, "archive-ack: nothing");
	is_int(pki_policy_label_owns(A(DISPOSE)), PKI_LF_DISPOSED, "dispose: the disposal only");
	is_int(pki_policy_label_owns(A(RELABEL)),
	       PKI_LF_AREAS | PKI_LF_SAFETY | PKI_LF_IR | list,
	       "relabel: areas, safety, IR references, list, binding");
	is_int(pki_policy_label_owns(0), 0, "no action: nothing");
	is_int(pki_policy_label_owns(A(SHARE) | A(REVIEW)), PKI_LF_REVIEW | list,
	       "two actions: the union");
	is_int(pki_policy_label_owns(1u << 20), 0, "an action not in the table owns nothing");
	ok((pki_policy_label_owns(~0u) & PKI_LF_ID) == 0, "no action changes the ID");
	ok((pki_policy_label_owns(~0u & ~(A(CLASSIFY) | A(RECEIVE))) &
	    (PKI_LF_ORIGINATOR | PKI_LF_REGISTRAR | PKI_LF_ORIGINATOR_CONTROL |
	     PKI_LF_RELEASABLE | PKI_LF_CREATED | PKI_LF_KIND | PKI_LF_RETENTION |
	     PKI_LF_SOURCE)) == 0,
	   "after filing, nothing changes the originator's marking or the kind");
	ok((pki_policy_label_owns(~0u & ~(A(CLASSIFY) | A(RECEIVE) | A(RELABEL))) &
	    (PKI_LF_AREAS | PKI_LF_SAFETY | PKI_LF_IR)) == 0,
	   "after filing, only a relabel corrects areas, safety and IR references");
}

static void verdict(unsigned actions, unsigned changed, const char *want, const char *name)
{
	int rc = pki_policy_label_change(actions, changed);

	if (want == NULL) {
		if (!is_int(rc, 0, "%s: allowed", name))
			printf("# %s\n", pki_error_last());
		return;
	}
	if (!ok(rc == -PKI_EPOLICY && strcmp(pki_error_last(), want) == 0, "%s: refused", name))
		printf("# rc %d\n#   got: %s\n# wanted: %s\n", rc, pki_error_last(), want);
}

static void rule(void)
{
	unsigned list = PKI_LF_DISTRIBUTION | PKI_LF_BINDING;

	verdict(A(SHARE), list, NULL, "a share re-encrypts");
	verdict(A(SHARE), 0, NULL, "a share that changes nothing");
	verdict(A(REVOKE), PKI_LF_DISTRIBUTION, NULL, "a revoke");
	verdict(A(RECLASSIFY), PKI_LF_LEVEL | PKI_LF_CRITERION | list, NULL, "a reclassification");
	verdict(A(CLASSIFY), PKI_LF_ALL & ~PKI_LF_ID, NULL, "a classification");
	verdict(A(SHARE) | A(RECLASSIFY), PKI_LF_LEVEL | list, NULL, "a share and a reclassify");
	verdict(A(SHARE), list | PKI_LF_ORIGINATOR_CONTROL,
		"changes the label's originator-control, which share does not change: each "
		"field of a label changes only by the action that owns it (policy 11.4.3)",
		"a share that drops originator control");
	verdict(A(SHARE), PKI_LF_ORIGINATOR,
		"changes the label's originator, which share does not change: each "
		"field of a label changes only by the action that owns it (policy 11.2.1)",
		"a share that rewrites the originator");
	verdict(A(SHARE) | A(EXPORT), PKI_LF_LEVEL | PKI_LF_AREAS | PKI_LF_RELEASABLE,
		"changes the label's classification, areas and releasable-to, which share and "
		"export do not change: each field of a label changes only by the action that "
		"owns it (policy 11.2.1, 11.4.3)",
		"a share and an export that change three fields");
	verdict(A(RECLASSIFY), PKI_LF_REVIEW | PKI_LF_LEVEL | list, NULL,
		"a reclassification that sets the next review date");
	verdict(A(REVIEW), PKI_LF_REVIEW, NULL, "a review moves the review date");
	verdict(A(REVIEW), PKI_LF_REVIEW | PKI_LF_LEVEL,
		"changes the label's classification, which review does not change: each "
		"field of a label changes only by the action that owns it (policy 11.2.1)",
		"a review that changes the level");
	verdict(A(REVIEW), PKI_LF_REVIEW | PKI_LF_BINDING,
		"changes the label's binding, which review does not change: each "
		"field of a label changes only by the action that owns it (policy 11.2.1)",
		"a review that re-encrypts");
	verdict(A(SHARE), PKI_LF_REVIEW | list,
		"changes the label's review, which share does not change: each "
		"field of a label changes only by the action that owns it (policy 11.2.1)",
		"a share that moves the review date");
	verdict(A(CLASSIFY), PKI_LF_ID,
		"changes the label's id, which classify does not change: each "
		"field of a label changes only by the action that owns it (policy 11.2.1)",
		"a product's ID never changes");
	verdict(0, PKI_LF_SAFETY, "changes the label's safety, with no action that owns it "
		"(policy 11.2.1)", "no action at all");
}

int main(void)
{
	diff_one_field();
	owners();
	rule();
	return done_testing();
}
