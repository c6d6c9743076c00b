"""Reading the booking pages as a phone without JavaScript does (the citizen's and the
volunteer's): a page that must be well formed, and the form's double-tap key."""

from __future__ import annotations

import re

from tests.pages import check_page


def get_page(client, path, status=200) -> str:
    """GET `path`, expecting `status`; a 200 must pass the page checks."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    html = response.get_data(as_text=True)
    if status == 200:
        assert check_page(html) == []
    return html


def request_key(html: str) -> str:
    """The slot form's key, so that sending it twice books once."""
    return re.search(r'name="request_key" value="([0-9a-f]+)"', html).group(1)
