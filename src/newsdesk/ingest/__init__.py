"""Ingest: turn inputs (files, directories, JSONL) into stored, analysed articles."""

from newsdesk.ingest.documents import InputFailure, count_documents, iter_documents
from newsdesk.ingest.pipeline import IngestReport, IngestResult, ingest
from newsdesk.ingest.processing import (
    Processed,
    ProcessingOptions,
    article_from_document,
    process_documents,
)
from newsdesk.ingest.reanalysis import ReanalysisReport, ids_to_reanalyze, reanalyze

__all__ = [
    "IngestReport",
    "IngestResult",
    "InputFailure",
    "Processed",
    "ProcessingOptions",
    "ReanalysisReport",
    "article_from_document",
    "count_documents",
    "ids_to_reanalyze",
    "ingest",
    "iter_documents",
    "process_documents",
    "reanalyze",
]
