"""Debian's nginx, run with the configuration docs/deploy.md documents, on loopback ports.

The test reads the `nginx` block from the deployment page itself, so the page and what is
tested cannot drift apart: each change made for the test (ports, the throwaway certificate,
the loopback address) is a substitution that must find what the page says, and fails the
test when the page no longer says it. The port-80 redirect block is left out (the test has
no port 80). TLS is kept: a self-signed certificate made for the run, which the test's
browser is told to accept.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
OPENSSL = Path("/usr/bin/openssl")
DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
SECTION = "### Behind a reverse proxy"


def documented_nginx() -> str:
    """The `server { listen 443 ... }` block of the reverse-proxy section of deploy.md."""
    text = DEPLOY.read_text(encoding="utf-8")
    start = text.index(SECTION)
    block = re.search(r"```nginx\n(.*?)```", text[start:], re.S)
    assert block is not None, f"{DEPLOY}: no nginx block after {SECTION!r}"
    config = block.group(1)
    # The first server block: the one that signs people in and proxies to serve.
    first = re.match(r"server \{\n.*?\n\}\n", config, re.S)
    assert first is not None, "the nginx block does not start with a server { ... } block"
    return first.group(0)


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, f"docs/deploy.md's nginx block no longer has {old!r}"
    return text.replace(old, new)


def runnable_config(
    documented: str, *, folder: Path, port: int, serve_port: int, signin_port: int
) -> str:
    """The documented server block, made to run here: loopback ports, a throwaway
    certificate, files in `folder`, and nginx's own settings around it."""
    server = _swap(documented, "listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    server = _swap(server, "/etc/ssl/sharewise/fullchain.pem", str(folder / "cert.pem"))
    server = _swap(server, "/etc/ssl/sharewise/privkey.pem", str(folder / "key.pem"))
    server = _swap(server, "http://127.0.0.1:4180", f"http://127.0.0.1:{signin_port}")
    server = _swap(server, "http://127.0.0.1:8000", f"http://127.0.0.1:{serve_port}")
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    import os

    # A root master hands requests to workers of another user, who could not read this
    # folder; the test's nginx is this user's alone.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{server}}}
"""


def make_certificate(folder: Path) -> None:
    """A self-signed certificate for 127.0.0.1, for this run only."""
    subprocess.run(
        [
            str(OPENSSL),
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    """Until something accepts on `port` (the process started listening), or fail saying
    why, with the end of its log."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not listen on {port}: {log.read_text()[-2000:]}")


class Nginx:
    """nginx in the foreground with the test's configuration; stopped on exit."""

    def __init__(self, folder: Path, config: str, port: int) -> None:
        self.folder = folder
        self.port = port
        (folder / "nginx.conf").write_text(config, encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        conf = self.folder / "nginx.conf"
        check = subprocess.run(
            [str(NGINX), "-t", "-p", str(self.folder), "-e", "stderr", "-c", str(conf)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        log = self.folder / "stderr.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(NGINX), "-p", str(self.folder), "-e", "stderr", "-c", str(conf)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, "nginx", log)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
