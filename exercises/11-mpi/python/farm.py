"""Exercise 4 with mpi4py: a task farm, rank 0 the master.

    mpirun -np 3 python3 farm.py 10

The master answers whichever worker speaks (ANY_SOURCE), reading who it
was and what it sent from the status. Needs at least two ranks.
"""

import sys

try:
    from mpi4py import MPI
except ImportError:
    print("mpi4py is not installed (pip install mpi4py): nothing to run")
    sys.exit(0)

READY, RESULT, TASK, STOP = 1, 2, 3, 4

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10

if size < 2:
    print("the farm needs at least two ranks: mpirun -np 3 python3 farm.py")
    sys.exit(0)

# ANCHOR: farm
if rank == 0:
    tasks = list(range(n))
    results, nxt, stopped = [None] * n, 0, 0
    status = MPI.Status()
    while stopped < size - 1:
        msg = comm.recv(source=MPI.ANY_SOURCE, tag=MPI.ANY_TAG, status=status)
        if status.Get_tag() == RESULT:
            index, value = msg
            results[index] = value
        worker = status.Get_source()  # answer whoever spoke
        if nxt < n:
            comm.send((nxt, tasks[nxt]), dest=worker, tag=TASK)
            nxt += 1
        else:
            comm.send(None, dest=worker, tag=STOP)
            stopped += 1
    print(f"results on {size - 1} worker(s): {results}")
else:
    comm.send(None, dest=0, tag=READY)
    status = MPI.Status()
    while True:
        msg = comm.recv(source=0, tag=MPI.ANY_TAG, status=status)
        if status.Get_tag() == STOP:
            break
        index, task = msg
        comm.send((index, task * task + 1), dest=0, tag=RESULT)
# ANCHOR_END: farm
