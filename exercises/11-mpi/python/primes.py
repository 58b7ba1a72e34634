"""Exercise 1 with mpi4py: the prime count split over the ranks.

    mpirun -np 3 python3 primes.py 10000

Every rank runs this same file. Each counts its own share of 0..n, and one
reduce adds the counts up on rank 0. Run plainly (python3 primes.py) it is
a job of one rank.
"""

import sys

try:
    from mpi4py import MPI
except ImportError:
    print("mpi4py is not installed (pip install mpi4py): nothing to run")
    sys.exit(0)


def is_prime(m):
    if m < 2:
        return False
    if m < 4:
        return True
    if m % 2 == 0:
        return False
    d = 3
    while d * d <= m:
        if m % d == 0:
            return False
        d += 2
    return True


# ANCHOR: primes
def share(n, size, rank):
    """Rank's contiguous share of 0..n; the first n % size get one more."""
    base, extra = divmod(n, size)
    start = rank * base + min(rank, extra)
    return range(start, start + base + (1 if rank < extra else 0))


comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000

mine = sum(1 for m in share(n, size, rank) if is_prime(m))
total = comm.reduce(mine, op=MPI.SUM, root=0)  # None except on the root
if rank == 0:
    print(f"{total} primes below {n} on {size} rank(s)")
# ANCHOR_END: primes
