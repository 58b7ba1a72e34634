"""A small local file server for the Python programs of this case study.

It stands in for the Rust server the tests and benchmarks use
(`downloads::given::Server`): the same paths (`/files/<i>`), generated
files, an optional delay per request, and a few faults. It listens on
127.0.0.1 only; nothing leaves the machine.
"""

import http.server
import threading
import time


def content(i, size):
    """The bytes of file i (any deterministic bytes will do here)."""
    return bytes((i * 31 + k) % 251 for k in range(size))


def start(files, size=10_000, delay=0.0, missing=()):
    """Starts a server in a daemon thread; returns (base_url, stop)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(delay)
            try:
                i = int(self.path.removeprefix("/files/"))
            except ValueError:
                i = -1
            if not 0 <= i < files or i in missing:
                self.send_error(404)
                return
            body = content(i, size)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # quiet

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


if __name__ == "__main__":
    import urllib.request

    base, stop = start(files=2, size=100)
    with urllib.request.urlopen(f"{base}/files/1", timeout=5) as r:
        assert r.read() == content(1, 100)
    stop()
    print("local server: ok")
