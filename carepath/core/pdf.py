"""PDFs from templates (WeasyPrint), self-contained: rendering never reaches out of the
server, not even to its own static files or the local disk."""

import logging

from django.template.loader import render_to_string

# WeasyPrint reports every step of a layout at INFO: one line per page of every PDF.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_url_fetcher():
    """WeasyPrint's fetcher for the PDF: ``data:`` URLs only."""
    # Imported here: WeasyPrint needs Pango from the system, and only the PDF needs WeasyPrint.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def pdf_from_template(template: str, context: dict) -> bytes:
    """The template rendered as a PDF, with everything (styles, SVG charts) inside the HTML."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url=None, url_fetcher=pdf_url_fetcher()).write_pdf()
