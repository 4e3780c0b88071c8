/* sha256-test: FIPS 180-4 vectors (NIST CSRC examples) and streaming. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sha256.h"
#include "tap.h"

static void digest(const void *data, size_t len, char hex[65])
{
	struct pki_sha256 c;
	unsigned char d[PKI_SHA256_LEN];

	pki_sha256_init(&c);
	pki_sha256_update(&c, data, len);
	pki_sha256_final(&c, d);
	pki_sha256_hex(d, hex);
}

static void test_vectors(void)
{
	static const struct {
		const char *msg, *want;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	char hex[65];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		digest(v[i].msg, strlen(v[i].msg), hex);
		is_str(hex, v[i].want, "%zu-bit message", 8 * strlen(v[i].msg));
	}
}

static void test_million(void)
{
	struct pki_sha256 c;
	unsigned char chunk[1000], d[PKI_SHA256_LEN];
	char hex[65];
	int i;

	memset(chunk, 'a', sizeof(chunk));
	pki_sha256_init(&c);
	for (i = 0; i < 1000; i++)
		pki_sha256_update(&c, chunk, sizeof(chunk));
	pki_sha256_final(&c, d);
	pki_sha256_hex(d, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "one million 'a'");
}

/* Lengths either side of the padding boundaries (56 and 64 bytes). */
static void test_padding(void)
{
	static const struct {
		size_t len;
		const char *want;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[128], hex[65];
	size_t i;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		digest(a, v[i].len, hex);
		is_str(hex, v[i].want, "%zu 'a'", v[i].len);
	}
}

/* Any way of cutting the input into updates gives the one-shot digest. */
static void test_split(void)
{
	unsigned char msg[200], d[PKI_SHA256_LEN];
	struct pki_sha256 c;
	char want[65], hex[65];
	size_t i, j, bad = 0;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	digest(msg, sizeof(msg), want);
	for (i = 0; i <= sizeof(msg); i++) {
		for (j = i; j <= sizeof(msg); j += 13) {
			pki_sha256_init(&c);
			pki_sha256_update(&c, msg, i);
			pki_sha256_update(&c, msg + i, j - i);
			pki_sha256_update(&c, msg + j, sizeof(msg) - j);
			pki_sha256_final(&c, d);
			pki_sha256_hex(d, hex);
			bad += strcmp(hex, want) != 0;
		}
	}
	is_int((int)bad, 0, "three updates at every split equal one");

	pki_sha256_init(&c);
	for (i = 0; i < sizeof(msg); i++)
		pki_sha256_update(&c, msg + i, 1);
	pki_sha256_final(&c, d);
	pki_sha256_hex(d, hex);
	is_str(hex, want, "byte-at-a-time equals one update");
}

static void test_sink(void)
{
	struct pki_sha256 c;
	struct pki_sink sink = { pki_sink_sha256, &c };
	unsigned char d[PKI_SHA256_LEN];
	char hex[65];

	pki_sha256_init(&c);
	ok(sink.write(sink.ctx, "ab", 2) == 0 && sink.write(sink.ctx, "c", 1) == 0,
	   "sink writes succeed");
	pki_sha256_final(&c, d);
	pki_sha256_hex(d, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sink hashes what it is given");
}

int main(void)
{
	test_vectors();
	test_million();
	test_padding();
	test_split();
	test_sink();
	return done_testing();
}
