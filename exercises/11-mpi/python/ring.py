"""Exercise 2 with mpi4py: every rank passes a block to its right.

    mpirun -np 3 python3 ring.py 1048576

Sendrecv sends and receives in one call, which MPI completes in whatever
order cannot deadlock. Run plainly it is a ring of one rank, which passes
its block to itself.
"""

import sys

try:
    from mpi4py import MPI
except ImportError:
    print("mpi4py is not installed (pip install mpi4py): nothing to run")
    sys.exit(0)

# ANCHOR: ring
comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
right, left = (rank + 1) % size, (rank - 1) % size
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20

block = bytearray([rank % 256]) * n  # upper-case calls take buffers:
got = bytearray(n)                   # no pickling, no copy into objects
# Deadlocks for large blocks, as in Rust:
#   comm.Send(block, dest=right); comm.Recv(got, source=left)
comm.Sendrecv(block, dest=right, recvbuf=got, source=left)
assert got[0] == left % 256
print(f"rank {rank} got {len(got)} bytes from rank {left}")
# ANCHOR_END: ring
