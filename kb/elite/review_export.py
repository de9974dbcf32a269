"""The activity review as a CSV (one row per incident) and as a printable PDF report."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from kb.elite.activity_review import ActivityReview
from kb.support.models import SEVERITY_DEFINITIONS

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
TARGET_NAMES = {"met": "Met", "missed": "Missed", "pending": "Pending",
                "withdrawn": "Closed by the customer before a response", "none": "No target"}
CSV_COLUMNS = ("number", "title", "product", "version", "severity", "status", "logged_by",
               "logged_at", "response_due", "responded_at", "target", "resolved_at",
               "linked_articles", "response_clocks")


def outcomes_text(outcomes: tuple[str, ...]) -> str:
    """"Met", or for a reopened incident each clock: "Met; after reopening: Missed"."""
    return "; after reopening: ".join(TARGET_NAMES[outcome] for outcome in outcomes)


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def to_csv(review: ActivityReview) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for reviewed in review.incidents:
        incident = reviewed.incident
        writer.writerow([
            incident.number, _spreadsheet_safe(incident.title), incident.product.name,
            _spreadsheet_safe(incident.version), incident.severity, incident.status,
            _spreadsheet_safe(reviewed.reporter), _iso(incident.created_at),
            _iso(incident.response_due), _iso(incident.responded_at), reviewed.target,
            _iso(incident.resolved_at),
            "; ".join(_spreadsheet_safe(a.title) for a in reviewed.articles),
            "; ".join(reviewed.outcomes)])
    return out.getvalue()


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_pdf(review: ActivityReview) -> bytes:
    pdf = _document(review)
    _summary(pdf, review)
    _incident_table(pdf, "Open incidents", review.open)
    _incident_table(pdf, "Closed and resolved incidents", review.closed)
    if review.linked_articles:
        _heading(pdf, "Articles linked to these incidents")
        for article, count in review.linked_articles:
            pdf.multi_cell(0, 6, f"{article.title} ({count} incident{'s' * (count != 1)})",
                           new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _document(review: ActivityReview) -> FPDF:
    # imported on first use: fpdf2 takes 0.2 s of CPU to import, paid by every process that
    # creates the app (each `kb` command and server), most of which never print a review
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Support activity review: {review.organization.name}")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, f"Support activity review: {review.organization.name}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, f"{review.start.isoformat()} to {review.end.isoformat()}",
                   new_x="LMARGIN", new_y="NEXT")
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _summary(pdf: FPDF, review: ActivityReview) -> None:
    _heading(pdf, "Summary")
    attainment = review.attainment
    rate = review.attainment_rate
    lines = [
        f"Incidents in the period: {len(review.incidents)} ({review.logged} logged in it); "
        f"open now: {len(review.open)}; closed or resolved: {len(review.closed)}.",
        "By severity: " + ", ".join(
            f"{severity} {SEVERITY_DEFINITIONS[severity][0]}: {count}"
            for severity, count in review.by_severity.items()),
        f"Response targets met: {attainment['met']}, missed: {attainment['missed']}, "
        f"pending: {attainment['pending']}, closed by the customer before a response (not "
        f"counted): {attainment['withdrawn']}, without a target: {attainment['none']}"
        + (f" ({rate:.0%} met)." if rate is not None else "."),
        "Products with most incidents: " + (", ".join(
            f"{name} ({count})" for name, count in review.top_products) or "none") + ".",
    ]
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")


def _incident_table(pdf: FPDF, title: str, rows) -> None:
    _heading(pdf, f"{title} ({len(rows)})")
    if not rows:
        pdf.multi_cell(0, 6, "None.", new_x="LMARGIN", new_y="NEXT")
        return
    from fpdf.fonts import FontFace

    widths = (12, 86, 40, 14, 32, 36, 32, 25)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                   line_height=5) as table:
        table.row(("#", "Title", "Product", "Sev.", "Status", "Logged by", "Logged", "Target"))
        for reviewed in rows:
            incident = reviewed.incident
            table.row((str(incident.number), incident.title,
                       f"{incident.product.name} {incident.version}".strip(),
                       str(incident.severity), incident.status_name, reviewed.reporter,
                       incident.created_at.strftime("%Y-%m-%d %H:%M"),
                       outcomes_text(reviewed.outcomes)))
