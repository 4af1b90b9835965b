"""Wait for a TCP port to be free before a server binds it (`make serve`).

Gunicorn workers orphaned by a killed master keep the port for 10 to 20 s; starting a new
server then dies with a bare "Address already in use" after it has done its setup work.
"""

import argparse
import socket
import sys
import time


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_for_free_port(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not port_is_free(host, port):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait (default 30)")
    args = parser.parse_args(argv)
    if wait_for_free_port(args.host, args.port, args.wait):
        return 0
    print(
        f"{args.host}:{args.port} is still in use after {args.wait:.0f} s. Another server (or "
        f"workers left by a killed one) holds it: `fuser -v {args.port}/tcp` shows which; stop "
        "it, or choose another port with `make serve PORT=...`.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
