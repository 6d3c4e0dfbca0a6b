"""Accessible PDFs (tagged, PDF/UA-1) of letters and plans, from the same HTML templates people read."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

# Any absolute address works: only the path of a stylesheet's address is used, to find the file.
_BASE_URL = "https://sendhub.invalid/"


def _static_file(path: str) -> bytes:
    """The bytes of a static file named by its URL path: the collected (hashed) copy in production,
    the app's own file in development."""
    name = path.removeprefix(settings.STATIC_URL)
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return file.read()
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"No static file {name}")
    with open(found, "rb") as file:
        return file.read()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Print stylesheets are static files (`{% static %}`), read from disk. Nothing else is fetched:
        a PDF never loads an address from the network, whatever the text in it says."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            if url.startswith(_BASE_URL) and path.startswith(settings.STATIC_URL):
                return URLFetcherResponse(url, _static_file(path), {"Content-Type": "text/css"}, 200)
            raise ValueError(f"PDFs load only sendhub's own static files, not {url}")

    html = HTML(string=render_to_string(template, context), base_url=_BASE_URL,
                url_fetcher=StaticFetcher(fail_on_errors=True))
    return html.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
