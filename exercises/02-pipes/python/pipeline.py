"""`printf ... | sort | uniq -c` built by hand, with every exit status.
Rust: examples/pipeline.rs."""
import subprocess
from subprocess import PIPE


def main():
    first = subprocess.Popen(["printf", "pear\\napple\\npear\\nfig\\n"], stdout=PIPE)
    second = subprocess.Popen(["sort"], stdin=first.stdout, stdout=PIPE)
    third = subprocess.Popen(["uniq", "-c"], stdin=second.stdout, stdout=PIPE)
    # The parent's copies of the read ends must go, or an early exit of a
    # later stage would never reach an earlier one as SIGPIPE.
    first.stdout.close()
    second.stdout.close()
    text = third.communicate()[0].decode()
    statuses = [first.wait(), second.wait(), third.returncode]
    print(text, end="")
    print("statuses:", statuses)


if __name__ == "__main__":
    main()
