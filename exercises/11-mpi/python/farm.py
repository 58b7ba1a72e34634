"""Exercise 4 with mpi4py: a task farm, rank 0 the master.

    mpirun -np 3 python3 farm.py 10 [K]

The master answers whichever worker speaks (ANY_SOURCE), reading who it
was and what it sent from the status. Task K (if given) raises: the
worker reports it (FAILED) and goes on. Needs at least two ranks.
"""

import sys

try:
    from mpi4py import MPI
except ImportError:
    print("mpi4py is not installed (pip install mpi4py): nothing to run")
    sys.exit(0)

READY, RESULT, TASK, STOP, FAILED = 1, 2, 3, 4, 5

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
failing = int(sys.argv[2]) if len(sys.argv) > 2 else -1


def work(task):
    if task == failing:
        raise ValueError(f"task {task} refused: it is the one that fails")
    return task * task + 1


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
        if status.Get_tag() in (RESULT, FAILED):
            index, value = msg  # a FAILED value is the reason, as text
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
        try:
            comm.send((index, work(task)), dest=0, tag=RESULT)
        except Exception as e:  # reported, never silence
            comm.send((index, f"failed: {e}"), dest=0, tag=FAILED)
# ANCHOR_END: farm
