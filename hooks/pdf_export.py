"""MkDocs hook: the PDF is rendered as a tagged, accessible PDF/UA-1 document.

A thin adapter: it puts ``ivig_tools.pdf.AccessiblePdfRenderer`` into mkdocs-to-pdf's
renderer slot when the PDF is being built (``ENABLE_PDF_EXPORT=1``). Why this way and not
another is explained at the top of ``hooks/ivig_tools/pdf.py``.
"""

from __future__ import annotations

from pathlib import Path

from ivig_tools import pdf
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# The guide is written in US English (US spelling, US labels): the PDF's /Lang.
PDF_LANG = "en-US"


# --- start of MkDocs hooks ----------------------------------------------------------


@event_priority(-100)  # after mkdocs-to-pdf's on_config created its generator
def on_config(config):
    plugin = config.plugins.get("to-pdf")
    if plugin is None or not getattr(plugin, "enabled", False):
        return config  # no PDF in this build (ENABLE_PDF_EXPORT unset)
    options = getattr(plugin, "_options", None)
    if options is None or not hasattr(options, "relaxed_js") or not hasattr(options, "cover_title"):
        raise PluginError(
            "hooks/pdf_export.py: this mkdocs-to-pdf has no renderer slot (Options.relaxed_js); "
            "it was written for mkdocs-to-pdf 0.12.1 (requirements.txt)"
        )
    if options.relaxed_js is not None or options.js_renderer is not None:
        raise PluginError(
            "hooks/pdf_export.py: turn off render_js in the to-pdf settings; the PDF is rendered here"
        )
    try:
        document = pdf.PrintDocument(
            title=pdf.document_title(options.cover_title, options.cover_subtitle),
            lang=pdf.check_lang(PDF_LANG),
        )
    except ValueError as error:
        raise PluginError(f"hooks/pdf_export.py: {error}") from error
    options.relaxed_js = pdf.AccessiblePdfRenderer(document, base_url=Path(config["site_dir"]).resolve())
    return config


# --- end of MkDocs hooks --------------------------------------------------------------
