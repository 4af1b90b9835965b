"""factory_boy factories for content built in tests (the real pack covers the rest)."""

import factory

from careatlas.procedures.models import (
    FAQItem,
    Guide,
    GuideQuestion,
    GuideSource,
    Procedure,
    Source,
    Specialty,
    StatRange,
)


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"specialty-{n}")
    name = factory.Sequence(lambda n: f"Specialty {n}")
    description = "A made-up specialty for tests."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    authors = "Doe J, Roe R"
    title = factory.Sequence(lambda n: f"A study of things number {n}")
    publisher = "Journal of Tests"
    year = 2020
    pmid = factory.Sequence(lambda n: str(10000000 + n))


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    slug = factory.Sequence(lambda n: f"procedure-{n}")
    specialty = factory.SubFactory(SpecialtyFactory)


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    procedure = factory.SubFactory(ProcedureFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"Test Procedure {n}")
    summary = "A short summary of a made-up procedure."
    who_it_helps = "People in tests."
    what_to_expect = "Nothing unusual."
    recovery = "Quick."
    cost = "Varies."
    deep_dive = "## Background\n\nSome *Markdown* text."
    status = "draft"


def add_stat(
    guide: Guide, kind: str = "success_rate", source: Source | None = None, **fields
) -> StatRange:
    source = source or SourceFactory()
    GuideSource.objects.get_or_create(
        guide=guide, source=source, defaults={"position": guide.guide_sources.count()}
    )
    values = {
        "low": 70,
        "high": 85,
        "unit": "percent",
        "year": 2020,
        "method": "Pooled trial results.",
        "qualifier": "share of people better after 12 weeks",
        "population": "adults with the condition in trials",
        "comparison": "sham treatment: 40%" if kind == "success_rate" else "",
        "excludes": "the office visit" if kind == "cost" else "",
    }
    values.update(fields)
    return StatRange.objects.create(guide=guide, kind=kind, source=source, **values)


def add_faq(guide: Guide, question: str, answer: str) -> FAQItem:
    return FAQItem.objects.create(
        guide=guide, question=question, answer=answer, position=guide.faq.count()
    )


def add_question(guide: Guide, text: str) -> GuideQuestion:
    return GuideQuestion.objects.create(guide=guide, text=text, position=guide.questions.count())
