"""`make serve` waits for its port, then fails with a message instead of a bind error."""

import socket
import subprocess
import sys
import threading

from careatlas.core.ports import port_is_free, wait_for_free_port


def _listener() -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_a_held_port_is_reported_with_what_to_do():
    server = _listener()
    port = server.getsockname()[1]
    try:
        assert not port_is_free("127.0.0.1", port)
        result = subprocess.run(
            [sys.executable, "-m", "careatlas.core.ports", "127.0.0.1", str(port), "--wait", "1"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        server.close()
    assert result.returncode == 1
    assert f"127.0.0.1:{port} is still in use" in result.stderr
    assert "make serve PORT=" in result.stderr


def test_the_wait_ends_as_soon_as_the_port_is_released():
    server = _listener()
    port = server.getsockname()[1]
    threading.Timer(1.0, server.close).start()
    assert wait_for_free_port("127.0.0.1", port, seconds=20)
