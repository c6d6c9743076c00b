"""Values shared by the integration tests and their fixtures."""

REDIRECT_URI = "https://dichvucong.example.vn/dang-nhap/zalo/ve"
SHORT_TIMEOUT = 0.3  # seconds: the timeout of a client a test wants to give up
SLOW_ANSWER = 1.5  # seconds: an injected delay, well past SHORT_TIMEOUT
PATIENT_TIMEOUT = 5.0  # seconds: for requests a test needs answered, on a busy machine


def impatient(client):
    """The same client, giving up after SHORT_TIMEOUT: for the tests of a late answer only,
    since on a busy machine even the local fake may take longer than that to answer."""
    client.timeout = SHORT_TIMEOUT
    return client
