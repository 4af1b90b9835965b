"""Hospital (by CMS Certification Number) and group practice (by PECOS PAC ID) endpoints."""

from django.conf import settings
from django.utils import translation
from ninja import Path, Query, Router

from careatlas.api.errors import documented, openapi_extra
from careatlas.api.language import LANG, Language, answer_language
from careatlas.api.organization_schemas import HospitalDetail, PracticeDetail
from careatlas.api.registry_presenters import organization_detail
from careatlas.providers.access import get_public_organization
from careatlas.providers.models import OrganizationKind
from careatlas.providers.registry_presenters import PEOPLE_PER_PAGE

router = Router(tags=["Hospitals and practices"])

PAGE = Query(1, ge=1, description="Page of clinicians; a page past the end has none.")
PAGE_SIZE = Query(
    PEOPLE_PER_PAGE,
    ge=1,
    description=f"Clinicians per page; larger values are capped at {PEOPLE_PER_PAGE}.",
)


def _lang_query(lang: str) -> str:
    return f"lang={lang}" if lang != settings.LANGUAGE_CODE else ""


@router.get(
    "/hospitals/{ccn}",
    response=documented(HospitalDetail, can_be_missing=True),
    url_name="hospital_detail",
    operation_id="get_hospital",
    summary="One hospital: CMS's facts and the clinicians affiliated with it",
    openapi_extra=openapi_extra(),
)
def get_hospital(
    request,
    ccn: str = Path(
        ...,
        pattern=r"^[0-9A-Z]{6}$",
        description="The CMS Certification Number (six characters).",
        example="100018",
    ),
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
    lang: Language = LANG,
):
    """What the hospital's page shows: address, phone, where it is, CMS's hospital type,
    ownership, emergency services and star rating (source: CMS Hospital General
    Information), and the clinicians Care Compare lists as affiliated, by name."""
    lang = answer_language(lang)
    with translation.override(lang):
        hospital = get_public_organization(OrganizationKind.HOSPITAL, ccn=ccn)
        return organization_detail(hospital, page, page_size, _lang_query(lang))


@router.get(
    "/practices/{pac_id}",
    response=documented(PracticeDetail, can_be_missing=True),
    url_name="practice_detail",
    operation_id="get_practice",
    summary="One group practice and its clinicians",
    openapi_extra=openapi_extra(),
)
def get_practice(
    request,
    pac_id: str = Path(
        ...,
        pattern=r"^\d{10}$",
        description="The practice's PECOS group PAC ID (ten digits).",
        example="4210155301",
    ),
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
    lang: Language = LANG,
):
    """What the practice's page shows: address, phone, where it is (source: CMS Care
    Compare), and the clinicians who practise there, by name."""
    lang = answer_language(lang)
    with translation.override(lang):
        practice = get_public_organization(OrganizationKind.PRACTICE, pac_id=pac_id)
        return organization_detail(practice, page, page_size, _lang_query(lang))
