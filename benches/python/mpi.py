"""The Python side of the MPI chapter's benchmarks, with mpi4py on two ranks.
Prints one JSON object:
{"python": version, "results": [{"group", "name", "value" (seconds), "unit", "note"}]}.

Started by hand (or by `cargo workbook bench mpi`), it starts itself again
under `mpirun -np 2` and prints what rank 0 measured. The groups are the
Rust bench's (benches/mpi/benches/mpi.rs):

* mpi: count primes -- the primes below N, by rank 0 alone (serial), and
  by two ranks: one block each (exercise 1's shares), or small chunks dealt
  out in turn (as benches/python/primes.py does); then a reduce.
* mpi: ping-pong by message size -- a bytearray to rank 1 and back with
  Send/Recv (no pickling), 8 bytes to 4 MiB; seconds per round trip.
* mpi: parallel sum -- 8 M unsigned 64-bit numbers summed by rank 0 alone,
  and by two ranks: broadcast the length, Scatter, sum, reduce.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from array import array

from primes import CHUNKS_PER_WORKER, count_primes

PRIMES = "mpi: count primes"
PING = "mpi: ping-pong by message size"
SUM = "mpi: parallel sum"
N = 300_000
REPEATS = 3
SIZES = [8, 64, 512, 4096, 32768, 262_144, 1 << 20, 1 << 22]
SUM_LEN = 8 << 20


def under_mpirun():
    return any(v in os.environ for v in ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"))


def relaunch():
    """Runs this script on two ranks and prints rank 0's JSON line."""
    try:
        import mpi4py  # noqa: F401  (only to know it is there)
    except ImportError:
        sys.exit("mpi4py is not installed (python3 -m pip install mpi4py)")
    env = dict(os.environ)
    for var, value in [
        ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
        ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
        ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"),
    ]:
        env.setdefault(var, value)
    cmd = ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2",
           sys.executable, os.path.abspath(__file__)]
    try:
        out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, timeout=600)
    except FileNotFoundError:
        sys.exit("mpirun is not installed (Open MPI): nothing measured")
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        sys.stderr.write(out.stdout)
        sys.exit(f"mpirun -np 2 {os.path.basename(__file__)} failed ({out.returncode})")
    print(lines[-1])


def dealt(n, size, rank):
    """This rank's small chunks of 0..n, dealt out in turn."""
    chunk = max(1, -(-n // (size * CHUNKS_PER_WORKER)))
    total, start = 0, rank * chunk
    while start < n:
        total += count_primes(start, min(start + chunk, n))
        start += size * chunk
    return total


def block(n, size, rank):
    """This rank's one contiguous block of 0..n (exercise 1's share)."""
    base, extra = divmod(n, size)
    lo = rank * base + min(rank, extra)
    return count_primes(lo, lo + base + (1 if rank < extra else 0))


def ranks_main():
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    results = []

    def add(group, name, value, note):
        results.append({"group": group, "name": name, "value": value, "unit": "s", "note": note})

    def timed(fn):
        """Both ranks run fn together; rank 0's seconds."""
        comm.Barrier()
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    # The prime count.
    expected = count_primes(0, N) if rank == 0 else None
    variants = [
        ("serial", lambda: count_primes(0, N) if rank == 0 else None),
        ("mpi4py, 2 ranks, one block each",
         lambda: comm.reduce(block(N, size, rank), op=MPI.SUM, root=0)),
        ("mpi4py, 2 ranks, chunks dealt in turn",
         lambda: comm.reduce(dealt(N, size, rank), op=MPI.SUM, root=0)),
    ]
    times = {name: [] for name, _ in variants}
    for _ in range(REPEATS):
        for name, fn in variants:
            got = []
            times[name].append(timed(lambda: got.append(fn())))
            if rank == 0 and got[0] != expected:
                raise RuntimeError(f"{name} counted {got[0]}, not {expected}")
    for name, _ in variants:
        add(PRIMES, name, statistics.median(times[name]), f"n = {N}, median of {REPEATS}")

    # The ping-pong.
    other = 1 - rank
    for nbytes in SIZES:
        buf = bytearray(nbytes)
        rounds = max(20, min(2000, (64 << 20) // max(nbytes, 1) // 64))

        def trips():
            for _ in range(rounds):
                if rank == 0:
                    comm.Send(buf, dest=other)
                    comm.Recv(buf, source=other)
                else:
                    comm.Recv(buf, source=other)
                    comm.Send(buf, dest=other)

        trips()  # warm-up
        best = min(timed(trips) for _ in range(5)) / rounds
        add(PING, f"mpi4py Send/Recv, {size_name(nbytes)}", best,
            f"round trip, best of 5 runs of {rounds}")

    # The parallel sum.
    data = array("Q", range(1, SUM_LEN + 1)) if rank == 0 else None
    want = SUM_LEN * (SUM_LEN + 1) // 2

    def scatter_sum():
        n = comm.bcast(len(data) if rank == 0 else 0, root=0)
        piece = array("Q", bytes(8 * (n // size)))
        comm.Scatter(data, piece, root=0)
        return comm.reduce(sum(piece), op=MPI.SUM, root=0)

    for name, fn, note in [
        ("serial", lambda: sum(data) if rank == 0 else None, "sum() of an array('Q')"),
        ("mpi4py Scatter + reduce, 2 ranks", scatter_sum, "bcast the length, Scatter, reduce"),
    ]:
        got = []
        runs = [timed(lambda: got.append(fn())) for _ in range(REPEATS)]
        if rank == 0 and got[0] != want:
            raise RuntimeError(f"{name} summed {got[0]}, not {want}")
        add(SUM, name, statistics.median(runs), f"{SUM_LEN} numbers, {note}, median of {REPEATS}")

    if rank == 0:
        json.dump({"python": platform.python_version(), "results": results}, sys.stdout)
        print()


def size_name(nbytes):
    if nbytes >= 1 << 20:
        return f"{nbytes >> 20} MiB"
    if nbytes >= 1 << 10:
        return f"{nbytes >> 10} KiB"
    return f"{nbytes} B"


if __name__ == "__main__":
    if under_mpirun():
        ranks_main()
    else:
        relaunch()
