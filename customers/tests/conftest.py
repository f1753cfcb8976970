"""The portal's stories reuse the application fixtures: a 台儿庄 county team (Zaozhuang
policy) and a 西湖 one (Zhejiang), plus the fixed Shaanxi `world`."""
import pytest
from django.test import Client

from applications.tests.conftest import policies, travel, zj, zz  # noqa: F401  (fixtures)
from core.channels import CHANNELS


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def console():
    """The console channel, emptied: tests read the codes it 'sent'."""
    channel = CHANNELS["console"]
    channel.sent.clear()
    return channel


def last_code(channel, destination: str) -> str:
    import re

    message = next(m for d, m in reversed(channel.sent) if d == destination)
    return re.search(r"\d{6}", message).group(0)
