"""The CapabilityStatement (GET /fhir/metadata), generated from the search declarations."""

from django.conf import settings

from careatlas.fhir.resources.common import fhir_base, plan_net_profile

FHIR_VERSION = "4.0.1"
# Bump when what the server supports changes (a parameter, an include, a resource type).
CAPABILITIES_DATE = "2026-12-07"


def _resource(spec) -> dict:
    return {
        "type": spec.resource_type,
        "profile": plan_net_profile(spec.resource_type),
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": False,
        "conditionalRead": "not-supported",
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
        "searchInclude": [include.name for include in spec.includes],
        "searchRevInclude": [include.name for include in spec.revincludes],
        "searchParam": [
            {
                "name": param.name,
                "type": param.type,
                "documentation": param.documentation + (" Sortable." if param.sort else ""),
            }
            for param in spec.params
        ],
    }


def capability_statement(specs) -> dict:
    """Exactly what this server does: read and search of the resource types in `specs`,
    with the parameters and includes each declares; JSON only; read-only; no history."""
    return {
        "resourceType": "CapabilityStatement",
        "id": "careatlas-directory",
        "url": f"{fhir_base()}/metadata",
        "name": "CareAtlasProviderDirectory",
        "title": f"{settings.SITE_NAME} provider directory",
        "status": "active",
        "experimental": False,
        "date": CAPABILITIES_DATE,
        "publisher": settings.SITE_NAME,
        "description": (
            "A read-only provider directory shaped after Da Vinci PDex Plan-Net: practitioners,"
            " their roles, locations, organizations and the procedures they offer, each fact"
            " with its verification record. No patient data. Search results page with"
            " _count (at most 100) and the page parameter of the Bundle's links."
        ),
        "kind": "instance",
        "software": {"name": "CareAtlas"},
        "implementation": {
            "description": f"{settings.SITE_NAME} FHIR provider directory",
            "url": fhir_base(),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json", "application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Unknown parameters, modifiers and includes are refused with 400 and an"
                    " OperationOutcome: strict handling is the default. With the header"
                    " 'Prefer: handling=lenient' they are left out instead and listed in an"
                    " OperationOutcome entry (search mode 'outcome') of the Bundle; malformed"
                    " values are refused either way. Searches take _summary (true, data,"
                    " false, count), _elements, _total (none skips the count; estimate and"
                    " accurate are exact), _count, _include, _revinclude and _sort (on the"
                    " parameters documented as sortable; not with near, which sorts by"
                    " distance). Requests are rate-limited per client address (429 with"
                    " Retry-After)."
                ),
                "security": {
                    "cors": True,
                    "description": "No authentication: the directory is public data.",
                },
                "resource": [_resource(spec) for spec in specs],
            }
        ],
    }
