"""How much CPU "Nghe đọc" costs: a three-minute article (about 450 words) read by espeak-ng
and encoded twice by ffmpeg, as the worker does it.

    .venv/bin/python -m tests.bench.news_audio
"""

from __future__ import annotations

import time

from webapp.news.audio import speak

SENTENCE = ("UBND xã thông báo: từ ngày 24/12/2026, lúc 7h30, bà con mang CCCD và thẻ BHYT đến "
            "bộ phận một cửa để làm TTHC, lệ phí 20.000 đồng, cần hỏi thì gọi 0276 382 2222. ")


def main() -> None:
    text = SENTENCE * 14  # about 450 words once the numbers are words
    started = time.perf_counter()
    spoken = speak(text)
    wall = time.perf_counter() - started
    print(f"words said: {len(text.split())} written; audio {spoken.duration_ms / 1000:.0f} s; "
          f"CPU {spoken.cpu_ms / 1000:.2f} s; wall {wall:.2f} s; "
          f"webm {len(spoken.webm) // 1024} KB, mp3 {len(spoken.mp3) // 1024} KB")


if __name__ == "__main__":
    main()
