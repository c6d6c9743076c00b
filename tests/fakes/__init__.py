"""Local stand-ins for the outside providers, speaking their HTTP protocols on 127.0.0.1."""

from tests.fakes.esms import FakeEsms
from tests.fakes.server import closed_port_url, serve_wsgi
from tests.fakes.sms import FakeSmsGateway
from tests.fakes.zalo import FakeZalo, FakeZaloUser

__all__ = ["FakeEsms", "FakeSmsGateway", "FakeZalo", "FakeZaloUser", "closed_port_url",
           "serve_wsgi"]
