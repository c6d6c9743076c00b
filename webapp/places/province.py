"""The province this installation serves: its name, hotlines and one-stop shops.

It is configuration, not code: `PROVINCE_FILE` points at a TOML file shaped like
`tay-ninh.toml` beside this module, which is the default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

DEFAULT_FILE = Path(__file__).with_name("tay-ninh.toml")


@dataclass(frozen=True)
class Province:
    code: str
    content: dict  # {"vi": {...}, "en": {...}}: name, short name, app name
    hotlines: list[dict]
    offices: list[dict]
    help_hotline: str


def load_province(path: str | Path | None = None) -> Province:
    """Read and check the province file."""
    data = tomllib.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    for key in ("code", "vi", "en", "hotline", "office", "help_hotline"):
        if key not in data:
            raise ValueError(f"province file lacks '{key}'")
    return Province(
        code=str(data["code"]),
        content={"vi": data["vi"], "en": data["en"]},
        hotlines=data["hotline"],
        offices=data["office"],
        help_hotline=data["help_hotline"],
    )


def init_app(app: Flask) -> None:
    """Load the province once and make it available to every template."""
    province = load_province(app.config.get("PROVINCE_FILE") or None)
    app.extensions["province"] = province
    app.jinja_env.globals["province"] = province
