"""The database goes away under a running app server, and comes back.

``ketenconf serve`` (production configuration, persistent connections) reaches PostgreSQL
through a TCP relay in this test; taking the relay down cuts every connection and refuses new
ones, as a failover or a network cut does. While it is down the site answers 503 with
Retry-After (a plain page; JSON on the API) instead of 500, and /ready says only "fail" to
anyone asking; once it is up again the same server answers 200, without a restart.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from contextlib import suppress
from pathlib import Path

import pytest
from django.db import connection

from bench._harness import AppServer, production_env
from ketenconf.events.models import EditionStatus
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory, OrganisationFactory

from .conftest import database_url, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.timeout(120),
    pytest.mark.django_db(transaction=True),
]


class Relay:
    """A TCP relay from a loopback port to the database server, that can be cut."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None

    def up(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # taken down
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def down(self) -> None:
        """Refuse new connections and cut every open one."""
        if self.listener is not None:
            # shutdown() first: it wakes the accept() blocked in the other thread, which a
            # close() alone would not, and the port would go on accepting.
            with suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for end in self.sockets:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def register(port: int, email: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"name": "Anna de Vries", "email": email, "organisation": "IND"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(
            "POST",
            "/api/v1/editions/storing/registrations",
            body=body,
            headers={"Content-Type": "application/json", "Accept-Language": "nl"},
        )
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_the_site_answers_503_while_the_database_is_away_and_recovers_by_itself(
    tmp_path: Path,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the relay stands between the app and PostgreSQL")
    OrganisationFactory(name="IND")
    EditionFactory(slug="storing", status=EditionStatus.REGISTRATION_OPEN, capacity=50)
    settings_dict = connection.settings_dict
    relay = Relay((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    relay.up()
    url = database_url().replace(
        f"{settings_dict['HOST']}:{settings_dict['PORT']}", f"127.0.0.1:{relay.port}"
    )
    assert str(relay.port) in url
    env = production_env(url, KETENCONF_RATELIMIT="off")
    server = AppServer(env, workers=1, threads=2, log=tmp_path / "server.log").start()
    try:
        assert get(server.port, "/storing/")[0] == 200
        assert register(server.port, "voor@example.org")[0] == 201

        relay.down()
        time.sleep(1.5)  # what each process keeps for a second (ketenconf.core.process_memo)
        status, headers, body = get(server.port, "/storing/")
        assert (status, headers.get("retry-after"), headers["content-type"]) == (
            503,
            "10",
            "text/html; charset=utf-8",
        )
        assert "Even niet bereikbaar" in body.decode()
        status, headers, body = register(server.port, "tijdens@example.org")
        assert (status, headers.get("retry-after"), json.loads(body)) == (
            503,
            "10",
            {"message": "De dienst is even niet bereikbaar. Probeer het over 10 seconden opnieuw."},
        )
        status, headers, body = get(server.port, "/ready")
        assert (status, json.loads(body)) == (503, {"status": "fail"})
        assert get(server.port, "/health")[0] == 200

        relay.up()
        # A connection the cut left behind in a thread fails once more, then is replaced.
        answers = []
        for _ in range(10):
            answers.append(get(server.port, "/storing/")[0])
            if answers[-1] == 200:
                break
            time.sleep(0.2)
        assert answers[-1] == 200 and set(answers) <= {200, 503}
        assert register(server.port, "na@example.org")[0] == 201
        assert get(server.port, "/ready")[:1] == (200,)
    finally:
        server.stop()
        relay.down()
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "na@example.org",
        "voor@example.org",
    ]
    log = (tmp_path / "server.log").read_text()
    assert "Internal Server Error" not in log
