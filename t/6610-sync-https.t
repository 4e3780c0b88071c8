#!/bin/sh
# pki-sync over https verifies the server's certificate: a server whose
# certificate the trust anchors vouch for is synced with; one they do not
# is refused (69), the clone unchanged.  A local git smart-HTTP server
# (git http-backend behind Python's CGI server, over TLS) with a
# certificate made for this script by its own authority.
. "$(dirname "$0")/lib.sh"

BACKEND=$(git --exec-path)/git-http-backend

# serve: git http-backend behind a small HTTPS server (a chunked request
# body decoded, the answer sent with its length); PORT and PID set.
serve() {
	cat >serve.py <<-\EOF &&
	import http.server, ssl, subprocess, sys, urllib.parse
	root, backend, cert, key = sys.argv[1:5]
	class H(http.server.BaseHTTPRequestHandler):
	    def log_message(self, *a): pass
	    def body(self):
	        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
	            data = b""
	            while True:
	                n = int(self.rfile.readline().split(b";")[0], 16)
	                if n == 0:
	                    self.rfile.readline()
	                    return data
	                data += self.rfile.read(n)
	                self.rfile.readline()
	        return self.rfile.read(int(self.headers.get("Content-Length", "0")))
	    def cgi(self):
	        u = urllib.parse.urlsplit(self.path)
	        data = self.body() if self.command == "POST" else b""
	        env = {"GIT_PROJECT_ROOT": root, "GIT_HTTP_EXPORT_ALL": "1",
	               "REQUEST_METHOD": self.command, "PATH_INFO": u.path,
	               "QUERY_STRING": u.query, "CONTENT_LENGTH": str(len(data)),
	               "CONTENT_TYPE": self.headers.get("Content-Type", "")}
	        if self.headers.get("Content-Encoding"):
	            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
	        out = subprocess.run([backend], input=data, env=env, capture_output=True).stdout
	        head, _, rest = out.partition(b"\r\n\r\n")
	        status, hdrs = 200, []
	        for line in head.decode().split("\r\n"):
	            k, _, v = line.partition(": ")
	            if k.lower() == "status":
	                status = int(v.split()[0])
	            elif k:
	                hdrs.append((k, v))
	        self.send_response(status)
	        for k, v in hdrs:
	            self.send_header(k, v)
	        self.send_header("Content-Length", str(len(rest)))
	        self.end_headers()
	        self.wfile.write(rest)
	    do_GET = do_POST = cgi
	srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
	ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	ctx.load_cert_chain(cert, key)
	srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
	print(srv.server_address[1], flush=True)
	srv.serve_forever()
	EOF
	python3 serve.py "$TRASH" "$BACKEND" "$TRASH/srv.pem" "$TRASH/srv.key" >port 2>serve.err &
	PID=$!
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s port ] && break
		sleep 0.2
	done
	PORT=$(cat port) && test -n "$PORT"
}

test_expect_success 'setup: an authority, a certificate for localhost, a server' '
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
		-subj /CN=pki-test-authority 2>/dev/null &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 3650 \
		-subj /CN=another-authority 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr \
		-subj /CN=localhost 2>/dev/null &&
	printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" >ext &&
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out srv.pem -days 3650 -extfile ext 2>/dev/null &&
	mission &&
	git init -q --bare -b main central.git &&
	git -C central.git config http.receivepack true &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	git clone -q central.git c &&
	git -C c config user.signingkey "$(fpr jmac)" &&
	git -C c config pki.entity JMAC &&
	serve &&
	URL=https://localhost:$PORT/central.git
'

test_expect_success 'a certificate the trust anchors do not vouch for: 69, nothing changed' '
	test_tick &&
	echo one | pki-classify -C c -l confidential -c c -a poc >/dev/null &&
	before=$(git -C central.git rev-parse main) &&
	mine=$(git -C c rev-parse HEAD) &&
	SSL_CERT_FILE=$TRASH/other.pem test_expect_code 69 pki-sync -C c "$URL" 2>err &&
	cat err &&
	grep -qi "certificate" err &&
	test "$(git -C central.git rev-parse main)" = "$before" &&
	test "$(git -C c rev-parse HEAD)" = "$mine"
'

test_expect_success 'the system trust anchors do not vouch for it either' '
	unset SSL_CERT_FILE SSL_CERT_DIR;
	test_expect_code 69 pki-sync -C c "$URL" 2>err &&
	grep -qi "certificate" err
'

test_expect_success 'the authority trusted: fetched and pushed over https' '
	SSL_CERT_FILE=$TRASH/ca.pem pki-sync -C c "$URL" &&
	test "$(git -C central.git rev-parse main)" = "$(git -C c rev-parse HEAD)"
'

test_expect_success 'another clone fast-forwards over https' '
	git clone -q "$REPO" d &&
	git -C d config user.signingkey "$(fpr fc)" &&
	SSL_CERT_FILE=$TRASH/ca.pem pki-sync -C d "$URL" &&
	test "$(git -C d rev-parse HEAD)" = "$(git -C c rev-parse HEAD)"
'

kill "$PID" 2>/dev/null
test_done
