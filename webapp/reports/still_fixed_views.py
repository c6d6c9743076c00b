"""The page behind the "is it still fixed?" message: two large buttons, "Vẫn ổn" and "Hỏng lại
rồi", one tap, no sign-in (the signed link proves the message reached her phone), the same
with JavaScript on or off (a plain form, Post/Redirect/Get). The rules are in
webapp/reports/still_fixed.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.reports import categories, still_fixed
from webapp.reports.blueprint import grant, reports


def _thanks(answer: str, outcome: str) -> str:
    if outcome == "reopened":
        return _("Thank you. The report is open again: the commune will look at it again.")
    if outcome == "flagged":
        return _("Thank you. The commune's officer has been asked to look at it again.")
    if answer == still_fixed.OK:
        return _("Thank you. We are glad it is still fixed.")
    return _("Thank you. The commune is already looking at it again.")


@reports.route("/phan-anh/con-tot/<token>", methods=["GET", "POST"])
def still_fixed_page(token: str):
    """Ask, or record her one-tap answer and show what follows."""
    report = still_fixed.report_for(token)
    if report is None:
        return render_template("reports/still-fixed-expired.html"), 410
    grant(report)  # the link came to her phone: she may follow the report in this browser
    if request.method == "POST":
        answer = request.form.get("answer", "")
        if answer not in still_fixed.ANSWERS:
            abort(400)
        outcome = still_fixed.record_answer(report, answer)
        if outcome is not None:
            flash(_thanks(answer, outcome), "success")
        return redirect(url_for("reports.still_fixed_page", token=token), 303)
    return render_template(
        "reports/still-fixed.html", report=report, token=token,
        category=categories.label(report.category),
        may_say_ok=still_fixed.may_answer(report, still_fixed.OK),
        may_say_broken=still_fixed.may_answer(report, still_fixed.BROKEN))
