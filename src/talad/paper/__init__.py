"""Paper the shop prints (shipping labels, pick lists, tax documents): the shared kit.

- `ThaiPDF` (pdf.py): fpdf2 with Sarabun, Thai shaping, Thai line breaking, barcodes, QR.
- `render_png`, `pdf_text` (render.py): see a PDF as a picture or as text, for tests.

Amounts in words, PromptPay payloads and Buddhist Era dates live beside this package
(talad.thai_words, talad.promptpay, talad.thai_dates): screens and exports use them too.
"""

from talad.paper.pdf import ThaiPDF
from talad.paper.render import PopplerMissing, pdf_text, poppler_available, render_png

__all__ = ["PopplerMissing", "ThaiPDF", "pdf_text", "poppler_available", "render_png"]
