"""Content models for procedure guides."""

from careatlas.procedures.models.guides import (
    FAQItem,
    Guide,
    GuideQuestion,
    GuideRevision,
    GuideSource,
    GuideStatus,
    StatKind,
    StatRange,
    StatUnit,
)
from careatlas.procedures.models.sources import Source
from careatlas.procedures.models.suggestions import (
    Measure,
    StatSuggestion,
    SuggestionStatus,
)
from careatlas.procedures.models.taxonomy import Condition, Procedure, ProcedureCode, Specialty

__all__ = [
    "Condition",
    "FAQItem",
    "Guide",
    "GuideQuestion",
    "GuideRevision",
    "GuideSource",
    "GuideStatus",
    "Measure",
    "Procedure",
    "ProcedureCode",
    "Source",
    "Specialty",
    "StatKind",
    "StatRange",
    "StatSuggestion",
    "StatUnit",
    "SuggestionStatus",
]
