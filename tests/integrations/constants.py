"""Values shared by the integration tests and their fixtures."""

REDIRECT_URI = "https://dichvucong.example.vn/dang-nhap/zalo/ve"
SHORT_TIMEOUT = 0.3  # seconds: the clients' timeout in tests
SLOW_ANSWER = 0.8  # seconds: an injected delay, longer than SHORT_TIMEOUT
PATIENT_TIMEOUT = 5.0  # seconds: for requests a test needs answered, on a busy machine
