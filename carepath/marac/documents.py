"""The MARAC's printed papers: the agenda as a PDF (WeasyPrint), marked confidential and
naming the agency the copy is for. Never a refuge address or a safe-contact detail: the
agenda's rows (``selectors.AgendaItem``) carry neither."""

from django.template.loader import render_to_string
from django.utils import timezone

from carepath.planning.exports import pdf_url_fetcher


def agenda_pdf(*, meeting, items, recipient) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "marac/agenda_print.html",
        {"meeting": meeting, "items": items, "recipient": recipient, "produced": timezone.localtime()},
    )
    return HTML(string=html, base_url=None, url_fetcher=pdf_url_fetcher()).write_pdf()
