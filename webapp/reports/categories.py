"""What a report can be about, in the words people use, and the emergencies that are not reports.

Fire, crime and accidents are not reported here: the start page shows 113, 114 and 115 first,
as the largest buttons, before any form (the numbers come from the province's facts).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROADS, LIGHTING, UTILITIES, ENVIRONMENT, SECURITY, SERVICES, OTHER = (
    "roads", "lighting", "utilities", "environment", "security", "services", "other")

CATEGORIES = (
    (ROADS, _l("Roads and bridges"), _l("Potholes, broken bridges, flooded roads")),
    (LIGHTING, _l("Street lighting"), _l("Street lights off or broken")),
    (UTILITIES, _l("Electricity and water"), _l("Power cuts, no clean water, broken pipes")),
    (ENVIRONMENT, _l("Environment and rubbish"), _l("Rubbish not collected, smells, dirty canals")),
    (SECURITY, _l("Security and order"), _l("Noise at night, gatherings, encroaching on the road")),
    (SERVICES, _l("Public services and officers' conduct"),
     _l("How you were served at an office")),
    (OTHER, _l("Something else"), None),
)
KEYS = tuple(key for key, _label, _hint in CATEGORIES)
LABELS = {key: label for key, label, _hint in CATEGORIES}


def label(key: str):
    return LABELS.get(key, key)
