"""Writing to a pipe nobody reads. Rust: examples/sigpipe.rs."""
import os
import signal
import subprocess


def main():
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read
    try:
        os.write(write_end, b"anyone?")  # Python, like Rust, ignores SIGPIPE
    except BrokenPipeError as e:
        print("write to a pipe with no reader:", e)
    os.close(write_end)

    # Children get the default action back: `yes` dies of SIGPIPE.
    yes = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    head = subprocess.run(["head", "-n", "1"], stdin=yes.stdout, capture_output=True)
    yes.stdout.close()
    code = yes.wait()
    print(f"yes | head -n 1 printed {head.stdout!r}; yes exit code {code} "
          f"(-{int(signal.SIGPIPE)} means killed by SIGPIPE)")


if __name__ == "__main__":
    main()
