"""Response shapes of the content endpoints: specialties, procedures, conditions, search.

Field descriptions end up in the OpenAPI schema and on the /api/v1/docs page.
"""

import datetime

from ninja import Field, Schema


class SpecialtyRef(Schema):
    slug: str
    name: str


class ProcedureRef(Schema):
    slug: str
    title: str
    url: str = Field(description="The guide's page on the site.")


class ConditionRef(Schema):
    slug: str
    name: str
    url: str


class SpecialtyOut(Schema):
    slug: str
    name: str
    description: str
    nucc_codes: list[str] = Field(description="NUCC provider taxonomy codes of this specialty.")
    url: str
    procedures: list[ProcedureRef] = Field(description="Procedures with a published guide.")


class SpecialtyList(Schema):
    count: int
    results: list[SpecialtyOut]


class Review(Schema):
    """Medical review of a guide, as its page states it."""

    reviewed: bool
    reviewer_name: str | None
    reviewer_credentials: str | None
    reviewed_on: datetime.date | None
    next_review_due: datetime.date | None
    overdue: bool = Field(description="The next review date has passed.")
    text: str = Field(description='The page\'s line, e.g. "Medically reviewed by ... on ...".')
    sample_content: bool = Field(
        description="Sample content awaiting medical review: show the notice the site shows."
    )


class ProcedureSummary(Schema):
    slug: str
    language: str = Field(description="Language of the guide returned (may fall back to en).")
    title: str
    abbreviation: str
    summary: str
    specialty: SpecialtyRef
    url: str
    sample_content: bool
    reviewed_on: datetime.date | None


class ProcedureList(Schema):
    count: int
    results: list[ProcedureSummary]


class SourceOut(Schema):
    key: str
    citation: str = Field(description="Authors. Title. Publisher; year.")
    title: str
    authors: str
    publisher: str
    year: int
    pmid: str | None
    pmcid: str | None
    doi: str | None
    url: str | None
    link: str = Field(description="The most durable link: DOI, then PMC, PubMed, URL.")


class StatRangeOut(Schema):
    kind: str = Field(description="success_rate, cost, recovery or volume.")
    label: str
    low: float
    high: float
    unit: str = Field(description="percent, usd, days, weeks, months or per_year.")
    text: str = Field(description='The range as the page shows it, e.g. "70–85%".')
    qualifier: str
    year: int = Field(description="The year the figure refers to.")
    method: str = Field(description="How the figure was obtained.")
    source: SourceOut


class Sections(Schema):
    """Guide sections as Markdown (CommonMark); render and sanitise before showing."""

    who_it_helps: str
    what_to_expect: str
    recovery: str
    cost: str
    risks: str
    deep_dive_title: str
    deep_dive: str


class FAQOut(Schema):
    question: str
    answer: str = Field(description="Markdown.")


class ProcedureDetail(ProcedureSummary):
    illustration_url: str | None
    illustration_alt: str
    sections: Sections
    stats: list[StatRangeOut] = Field(description="Only figures with a source are listed.")
    sources: list[SourceOut] = Field(description="Every source the guide cites, in order.")
    review: Review
    published_at: datetime.datetime | None
    conditions: list[ConditionRef]
    alternatives: list[ProcedureRef]
    codes: list[str] = Field(description="HCPCS/CPT code numbers (never their descriptors).")
    questions: list[str] = Field(description="Questions to ask your doctor.")
    faq: list[FAQOut]
    providers: str = Field(description="API search for providers who offer this procedure.")


class ConditionOut(Schema):
    slug: str
    name: str
    synonyms: list[str]
    summary: str
    specialty: SpecialtyRef | None
    url: str
    procedures: list[ProcedureRef] = Field(description="Published guides that treat it.")


class ConditionList(Schema):
    count: int
    results: list[ConditionOut]


class SearchHit(Schema):
    kind: str = Field(description="procedure, condition or specialty.")
    kind_label: str
    slug: str
    title: str
    url: str
    snippet: str


class SearchOut(Schema):
    query: str
    corrected_query: str | None = Field(description="The query with typos fixed, if any were.")
    total: int
    results: list[SearchHit]


class Suggestion(Schema):
    label: str
    kind: str
    kind_label: str
    url: str


class SuggestionList(Schema):
    results: list[Suggestion]
