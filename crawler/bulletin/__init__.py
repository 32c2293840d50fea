"""The bulletin: a model built from the store (``model``), one renderer per format, and the export."""

from crawler.bulletin.export import FORMATS, ExportResult, export_bulletin
from crawler.bulletin.model import Bulletin, build_bulletin, rubric_order

__all__ = ["FORMATS", "Bulletin", "ExportResult", "build_bulletin", "export_bulletin", "rubric_order"]
