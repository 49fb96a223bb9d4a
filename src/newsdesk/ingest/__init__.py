"""Ingest: turn inputs (files, directories, JSONL) into stored articles."""

from newsdesk.ingest.documents import InputFailure, count_documents, iter_documents
from newsdesk.ingest.pipeline import IngestReport, IngestResult, article_from_document, ingest

__all__ = [
    "IngestReport",
    "IngestResult",
    "InputFailure",
    "article_from_document",
    "count_documents",
    "ingest",
    "iter_documents",
]
