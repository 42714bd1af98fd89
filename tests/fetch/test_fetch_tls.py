"""HTTPS: a certificate that does not verify is refused at once, not retried."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from khabar.fetch import Fetcher, NetworkError
from khabar.fetch.testing import LocalServer

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[LocalServer]:
    """An HTTPS LocalServer on 127.0.0.1 with a self-signed certificate made by openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with LocalServer(tls=context) as running:
        running.serve("/feed", b"<rss/>")
        yield running


def test_a_self_signed_certificate_is_refused_without_retrying(
    self_signed_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    url = self_signed_server.url("/feed")
    assert url.startswith("https://")
    with pytest.raises(
        NetworkError, match=r"TLS certificate of 127\.0\.0\.1 could not be verified"
    ):
        make_fetcher(max_attempts=3, backoff_base=1.0).fetch(url)
    assert not self_signed_server.hits("/feed")
