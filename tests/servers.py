"""Real git servers on loopback for the remote tests, started and stopped by the tests themselves."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@contextlib.contextmanager
def git_daemon(base: Path) -> Iterator[str]:
    """`git daemon` serving the bare repositories under `base`, pushes allowed; yields the URL prefix."""
    port = free_port()
    process = subprocess.Popen(
        [
            "git",
            "daemon",
            "--export-all",
            "--enable=receive-pack",
            f"--base-path={base}",
            "--listen=127.0.0.1",
            f"--port={port}",
            "--reuseaddr",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"git://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def sshd(workdir: Path, home: Path) -> Iterator[dict]:
    """OpenSSH's sshd on 127.0.0.1 and a free port, with generated host and client keys.

    Yields the port, the client keys (one without and one with a passphrase), and the
    known_hosts line that trusts the server; the caller decides whether to write it.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # sshd's privilege separation folder
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(workdir / "host"))
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(workdir / "client"))
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "open sesame", "-f", str(workdir / "client-pass"))
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(workdir / "stranger"))
    authorized = (workdir / "client.pub").read_text() + (workdir / "client-pass.pub").read_text()
    (workdir / "authorized_keys").write_text(authorized)
    port = free_port()
    (workdir / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {workdir / 'host'}\nPidFile {workdir / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {workdir / 'authorized_keys'}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nStrictModes no\nUsePAM no\n"
        "PermitRootLogin prohibit-password\nMaxAuthTries 6\n"
        f"SetEnv HOME={home}\n"
    )
    process = subprocess.Popen(
        ["/usr/sbin/sshd", "-D", "-e", "-f", str(workdir / "sshd_config")],
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "sshd.log").open("w"),
    )
    try:
        wait_for_port(port, process)
        host_key = (workdir / "host.pub").read_text().split()
        yield {
            "port": port,
            "key": workdir / "client",
            "key_with_passphrase": workdir / "client-pass",
            "stranger": workdir / "stranger",
            "known_hosts_line": f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n",
        }
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def https_git(workdir: Path, base: Path, user: str, password: str) -> Iterator[dict]:
    """nginx with TLS (a self-signed certificate) and basic auth, in front of `git http-backend` via fcgiwrap."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    _run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        str(workdir / "key.pem"),
        "-out",
        str(workdir / "cert.pem"),
    )
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", password], capture_output=True, text=True, check=True
    ).stdout.strip()
    (workdir / "htpasswd").write_text(f"{user}:{hashed}\n")
    port = free_port()
    socket_path = workdir / "fcgi.sock"
    temp = workdir / "tmp"
    (workdir / "nginx.conf").write_text(f"""
daemon off;
user root;
worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"};
events {{}}
http {{
  access_log off;
  client_body_temp_path {temp}; fastcgi_temp_path {temp}; proxy_temp_path {temp};
  uwsgi_temp_path {temp}; scgi_temp_path {temp};
  client_max_body_size 0;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {workdir / "cert.pem"};
    ssl_certificate_key {workdir / "key.pem"};
    location / {{
      auth_basic "git";
      auth_basic_user_file {workdir / "htpasswd"};
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:{socket_path};
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT {base};
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param REMOTE_USER $remote_user;
      fastcgi_param PATH_INFO $uri;
    }}
  }}
}}
""")
    wrapper = subprocess.Popen(
        ["/usr/sbin/fcgiwrap", "-s", f"unix:{socket_path}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = None
    try:
        deadline = time.monotonic() + 10
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        server = subprocess.Popen(
            ["/usr/sbin/nginx", "-c", str(workdir / "nginx.conf"), "-p", str(workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port, server)
        yield {"port": port, "cafile": workdir / "cert.pem"}
    finally:
        for process in (server, wrapper):
            if process is not None:
                process.terminate()
                process.wait(10)


Pump = Callable[[socket.socket, socket.socket, threading.Event], None]


@contextlib.contextmanager
def _relay(target_port: int, upward: Pump, downward: Pump) -> Iterator[int]:
    """A loopback TCP proxy to `target_port`; yields its port.

    Each connection's bytes from the client go through `upward(client, server, stop)`, the server's
    answer through `downward(server, client, stop)`, each in a thread; when either returns (or the
    connection fails), both ends are closed.
    """
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def run(pump: Pump, source: socket.socket, target: socket.socket) -> None:
        try:
            pump(source, target, stop)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", target_port))
            threading.Thread(target=run, args=(upward, client, upstream), daemon=True).start()
            threading.Thread(target=run, args=(downward, upstream, client), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def _passed_on(source: socket.socket, target: socket.socket, stop: threading.Event) -> None:
    """Bytes passed on as they come, until either side closes or the proxy stops."""
    while not stop.is_set():
        data = source.recv(65536)
        if not data:
            break
        target.sendall(data)


@contextlib.contextmanager
def dropping_proxy(target_port: int, drop_after: int) -> Iterator[int]:
    """A loopback TCP proxy that cuts a push connection after `drop_after` bytes from the client.

    Fetches pass untouched; a push (git-receive-pack) loses its connection mid-way, as on a network drop.
    """

    def upward(source: socket.socket, target: socket.socket, stop: threading.Event) -> None:
        push, sent = False, 0  # the client's side: is it a push, and how far has it got
        while True:
            data = source.recv(65536)
            if not data:
                break
            push = push or b"git-receive-pack" in data
            sent += len(data)
            if push and sent > drop_after:
                break
            target.sendall(data)

    with _relay(target_port, upward, _passed_on) as port:
        yield port


@contextlib.contextmanager
def tinyproxy(workdir: Path, connect_port: int) -> Iterator[dict]:
    """tinyproxy on loopback, allowing CONNECT to `connect_port` only; yields its port and its log file."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "tinyproxy.log"
    (workdir / "tinyproxy.conf").write_text(
        f'Port {port}\nListen 127.0.0.1\nTimeout 60\nLogFile "{log}"\nLogLevel Connect\nMaxClients 20\n'
        f"Allow 127.0.0.1\nConnectPort {connect_port}\n"
    )
    process = subprocess.Popen(
        ["tinyproxy", "-d", "-c", str(workdir / "tinyproxy.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield {"port": port, "log": log}
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def trickling_proxy(target_port: int, interval: float) -> Iterator[int]:
    """A loopback TCP proxy that passes the server's answer on one byte every `interval` seconds.

    The connection never goes quiet for long, so a per-read timeout never fires: only an overall
    deadline ends it.
    """

    def trickled(source: socket.socket, target: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            data = source.recv(1)
            if not data:
                break
            target.sendall(data)
            if stop.wait(interval):
                break

    with _relay(target_port, _passed_on, trickled) as port:
        yield port
