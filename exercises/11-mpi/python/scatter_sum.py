"""Exercise 3 with mpi4py: broadcast, scatter, reduce.

    mpirun -np 3 python3 scatter_sum.py 999

Rank 0 holds the data and hands every rank its piece; the partial sums
come back to rank 0 in a reduce.
"""

import sys

try:
    from mpi4py import MPI
except ImportError:
    print("mpi4py is not installed (pip install mpi4py): nothing to run")
    sys.exit(0)

# ANCHOR: scatter
comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()

data = None
if rank == 0:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 999
    data = list(range(1, n + 1))
# Lower-case calls send any Python object (pickled): here rank 0 sends
# the length, then a list of `size` pieces, one piece to each rank.
n = comm.bcast(len(data) if rank == 0 else None, root=0)
pieces = None
if rank == 0:
    step = n // size
    pieces = [data[i * step:(i + 1) * step] for i in range(size)]
piece = comm.scatter(pieces, root=0)
total = comm.reduce(sum(piece), op=MPI.SUM, root=0)
if rank == 0:
    print(f"sum of 1..={n} on {size} rank(s): {total}")
# ANCHOR_END: scatter
