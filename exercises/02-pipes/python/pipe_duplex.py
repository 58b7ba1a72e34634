"""multiprocessing.Pipe: duplex by default, one-way with duplex=False.
Rust: examples/duplex.rs."""
from multiprocessing import Pipe, Process


def shout(conn):
    line = conn.recv()  # a whole object, unpickled
    conn.send(line.upper())
    conn.close()


def main():
    parent_end, child_end = Pipe()  # duplex=True: a socket pair underneath
    p = Process(target=shout, args=(child_end,))
    p.start()
    child_end.close()
    parent_end.send("ping over a socket pair")
    print("duplex reply:", parent_end.recv())
    p.join()

    reader, writer = Pipe(duplex=False)  # an os.pipe(): reader, then writer
    writer.send("one way only")
    print("one-way:", reader.recv())


if __name__ == "__main__":
    main()
