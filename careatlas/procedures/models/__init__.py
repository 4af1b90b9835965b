"""Content models for procedure guides."""

from careatlas.procedures.models.conditions import (
    ConditionPage,
    ConditionPageSource,
    ConditionSection,
)
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
from careatlas.procedures.models.reviews import GuideReview, Reviewer
from careatlas.procedures.models.sources import Source
from careatlas.procedures.models.suggestions import (
    Measure,
    StatSuggestion,
    SuggestionStatus,
)
from careatlas.procedures.models.taxonomy import (
    Condition,
    Procedure,
    ProcedureCode,
    Specialty,
    in_local_name_order,
)

__all__ = [
    "Condition",
    "ConditionPage",
    "ConditionPageSource",
    "ConditionSection",
    "FAQItem",
    "Guide",
    "GuideQuestion",
    "GuideReview",
    "GuideRevision",
    "GuideSource",
    "GuideStatus",
    "Measure",
    "Procedure",
    "ProcedureCode",
    "Reviewer",
    "Source",
    "Specialty",
    "in_local_name_order",
    "StatKind",
    "StatRange",
    "StatSuggestion",
    "StatUnit",
    "SuggestionStatus",
]
