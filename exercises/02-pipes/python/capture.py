"""Feeding a child's stdin and reading its stdout and stderr, all at once.
Rust: examples/capture.rs."""
import subprocess


def main():
    script = "head -c 200000 /dev/zero >&2; tr a-z A-Z"
    # run() uses communicate(), which writes stdin and reads both output
    # pipes at the same time (threads on Windows, poll() on Unix).
    done = subprocess.run(["sh", "-c", script], input=b"hello, pipes\n" * 10_000,
                          capture_output=True)
    print(f"stdout: {len(done.stdout)} bytes, starting {done.stdout[:12]!r}; "
          f"stderr: {len(done.stderr)} bytes; exit {done.returncode}")

    # The classic hang: read stdout to the end, then stderr. The child
    # blocks on the full stderr pipe and never closes stdout. (Not run here.)
    #   p = subprocess.Popen(..., stdout=PIPE, stderr=PIPE)
    #   out = p.stdout.read()   # waits forever
    #   err = p.stderr.read()


if __name__ == "__main__":
    main()
