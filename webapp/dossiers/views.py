"""STAND-IN for the dossiers branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from flask import Blueprint

dossiers = Blueprint("dossiers", __name__, url_prefix="/ho-so")


@dossiers.get("/<code>")
def status(code: str):
    return f"status of {code}"
