"""The handout as a PDF (WeasyPrint): hep's HTML and stylesheet for paper, in the patient's
language, pictures read from media storage and hep's drawings, nothing fetched from anywhere
else."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, select_autoescape

from hep.errors import HepError
from hep.handouts import Handout, day_text
from hep.illustrations import render
from hep.mail.letters import in_language
from hep.translations import _

MediaReader = Callable[[uuid.UUID], tuple[bytes, str]]
"""Given a media id, its thumbnail's bytes and type."""

_MEDIA = "hep-media:"
_DRAWING = "hep-drawing:"


class Unavailable(HepError):
    status = 503


@cache
def _template(language: str) -> Any:
    folder = resources.files("hep") / "handouts"
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return in_language(env, language).from_string(
        (folder / "handout.html").read_text(encoding="utf-8")
    )


@cache
def _css() -> str:
    return (resources.files("hep") / "handouts" / "handout.css").read_text(encoding="utf-8")


def html(handout: Handout) -> str:
    """The handout's HTML for WeasyPrint, pictures named by hep's own URL schemes."""
    sources = []
    for item in handout.items:
        picture = item.picture
        if picture is None:
            sources.append("")
        elif picture.media_id is not None:
            sources.append(f"{_MEDIA}{picture.media_id}")
        else:
            sources.append(f"{_DRAWING}{picture.slug}")
    printed = day_text(handout.printed_on, handout.language)
    rendered: str = _template(handout.language).render(
        h=handout, qr=handout.qr_svg(), sources=sources, printed=printed
    )
    return rendered


def pdf(handout: Handout, read_media: MediaReader) -> bytes:
    """The handout as PDF bytes; Unavailable where the server lacks Pango."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except OSError as exc:  # WeasyPrint loads Pango when imported
        raise Unavailable(
            _("This server cannot make PDFs (it lacks the Pango library); print from the app.")
        ) from exc

    class Fetcher(URLFetcher):
        """hep's pictures and data: URIs (the QR code); nothing from a network or a file."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(_MEDIA):
                data, content_type = read_media(uuid.UUID(url.removeprefix(_MEDIA)))
                return URLFetcherResponse(url, data, {"Content-Type": content_type})
            if url.startswith(_DRAWING):
                svg = render(url.removeprefix(_DRAWING), still=True)
                return URLFetcherResponse(url, svg.encode(), {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError("a handout loads nothing from outside hep")

    fetcher = Fetcher(allowed_protocols={"data", "hep-media", "hep-drawing"})
    page = HTML(string=html(handout), url_fetcher=fetcher)
    document: bytes = page.write_pdf(stylesheets=[CSS(string=_css())])
    return document
