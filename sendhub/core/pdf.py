"""Accessible PDFs (tagged, PDF/UA-1) of letters and plans, from the same HTML templates people read."""

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
