"""Authenticated connections: Listener and Client share an authkey; a
client with the wrong key is refused. Rust: ex5_connection."""
import os
import tempfile
import threading
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener

KEY = b"the shared secret"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        address = os.path.join(tmp, "socket")
        with Listener(address, family="AF_UNIX", authkey=KEY) as listener:
            def serve(times):
                for _ in range(times):
                    try:
                        with listener.accept() as conn:  # challenge both ways
                            conn.send(("welcome", conn.recv()))
                    except AuthenticationError as e:
                        print("listener refused a client:", e)

            server = threading.Thread(target=serve, args=(2,))
            server.start()
            with Client(address, family="AF_UNIX", authkey=KEY) as conn:
                conn.send("hello")
                print("right key:", conn.recv())
            try:
                Client(address, family="AF_UNIX", authkey=b"not the key")
            except AuthenticationError as e:
                print("wrong key:", e)
            server.join()


if __name__ == "__main__":
    main()
