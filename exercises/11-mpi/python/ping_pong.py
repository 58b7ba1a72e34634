"""The ping-pong with mpi4py: a message to rank 1 and back, 8 bytes to 4 MiB.

    mpirun -np 2 python3 ping_pong.py
    python3 ping_pong.py            # starts itself on 2 ranks

Like the Rust example (examples/ping_pong.rs), it sends a buffer with the
capitalised calls (`Send`, `Recv`), which move its bytes without pickling.
"""

import os
import subprocess
import sys
import time

if not any(v in os.environ for v in ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK")):
    # Started by hand: start again on two ranks, set up as the tests do.
    try:
        import mpi4py  # noqa: F401  (only to know it is there)
    except ImportError:
        print("mpi4py is not installed (pip install mpi4py): nothing to run")
        sys.exit(0)
    env = dict(os.environ)
    for var, value in [
        ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
        ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
        ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"),
    ]:
        env.setdefault(var, value)
    cmd = ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2",
           sys.executable, __file__, *sys.argv[1:]]
    sys.exit(subprocess.run(cmd, env=env).returncode)

from mpi4py import MPI  # noqa: E402

SIZES = [8, 64, 512, 4096, 32768, 262_144, 1 << 20, 1 << 22]


# ANCHOR: ping_pong
def round_trips(comm, nbytes, rounds):
    """Rank 0: the seconds of one round trip, and the buffer as it came
    back; rank 1: None."""
    buf = bytearray((bytes(range(251)) * (nbytes // 251 + 1))[:nbytes])
    other = 1 - comm.Get_rank()
    comm.Barrier()  # both ranks start together
    start = time.perf_counter()
    for _ in range(rounds):
        if comm.Get_rank() == 0:
            comm.Send(buf, dest=other)
            comm.Recv(buf, source=other)
        else:
            comm.Recv(buf, source=other)
            comm.Send(buf, dest=other)
    per_trip = (time.perf_counter() - start) / max(rounds, 1)
    return (per_trip, buf) if comm.Get_rank() == 0 else None
# ANCHOR_END: ping_pong


def main():
    comm = MPI.COMM_WORLD
    if comm.Get_size() != 2:
        if comm.Get_rank() == 0:
            print("ping-pong needs exactly two ranks: mpirun -np 2 ...")
        return 1
    if comm.Get_rank() == 0:
        print(f"{'bytes':>9}  {'round trip':>14}  {'bandwidth':>12}")
    round_trips(comm, 8, 100)  # sets the connection up, not measured
    for nbytes in SIZES:
        rounds = (4 << 20) // max(nbytes, 4096) + 10
        got = round_trips(comm, nbytes, rounds)
        if got is None:
            continue
        per_trip, buf = got
        if buf[:251] != bytes(range(min(nbytes, 251))) or len(buf) != nbytes:
            print(f"the {nbytes}-byte message came back changed")
            return 1
        mb_per_s = 2 * nbytes / per_trip / 1e6
        print(f"{nbytes:>9}  {per_trip * 1e6:>11.1f} µs  {mb_per_s:>7.0f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
