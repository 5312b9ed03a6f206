"""PDF documents drawn by the server from the portal's own HTML, with WeasyPrint.

Only files of the portal's static folder may be loaded while drawing: any other address is refused, so a
PDF never makes a network request and never reads outside that folder.
"""

import os
from urllib.parse import urlparse

from flask import Response

#: The made-up origin the page is drawn under; its /static/ paths map to the static folder.
BASE_URL = "http://portal.invalid/"


def _static_file(url: str, root: str) -> str:
    """The file of the static folder ``url`` names, or ValueError for anything else."""
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}/" != BASE_URL or not parsed.path.startswith("/static/"):
        raise ValueError(f"not a static file of the portal: {url}")
    path = os.path.realpath(os.path.join(root, parsed.path.removeprefix("/static/")))
    if not path.startswith(root + os.sep):
        raise ValueError(f"outside the static folder: {url}")
    return path


def pdf_response(html: str, filename: str, static_folder: str) -> Response:
    """Draw ``html`` as a PDF download named ``filename``."""
    # Imported here: WeasyPrint loads Pango when imported, which only the servers that draw PDFs need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    root = os.path.realpath(static_folder)

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            return super().fetch("file://" + _static_file(url, root), headers)

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnly())
    return Response(document.write_pdf(), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
