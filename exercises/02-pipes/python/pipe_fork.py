"""A pipe between a parent and a forked child: the child writes, the parent
reads until end-of-file. Rust: examples/pipe_fork.rs."""
import os


def main():
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        os.write(write_end, b"hello through the pipe\n")
        os._exit(0)
    os.close(write_end)  # without this, the read below never sees EOF
    chunks = []
    while True:
        chunk = os.read(read_end, 4096)
        if not chunk:  # b"" means end-of-file: every write end is closed
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    print(f"parent {os.getpid()} got from child {pid}: {b''.join(chunks).decode()}", end="")


if __name__ == "__main__":
    main()
