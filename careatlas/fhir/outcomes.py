"""Errors as FHIR OperationOutcomes: every failure of the FHIR API answers with one."""

from typing import NamedTuple


class FhirError(Exception):
    """A request the server will not answer as asked, with the HTTP status to say so.

    `code` is from the FHIR IssueType value set (invalid, not-found, not-supported, ...);
    `diagnostics` is a translated sentence saying what to change.
    """

    def __init__(
        self,
        diagnostics: str,
        code: str = "invalid",
        status: int = 400,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(diagnostics)
        self.diagnostics = str(diagnostics)
        self.code = code
        self.status = status
        self.headers = headers or {}


class FhirIssue(NamedTuple):
    diagnostics: str
    code: str
    severity: str = "error"


def operation_outcome_of(issues: list[FhirIssue]) -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": i.severity, "code": i.code, "diagnostics": str(i.diagnostics)}
            for i in issues
        ],
    }


def operation_outcome(diagnostics: str, code: str, severity: str = "error") -> dict:
    return operation_outcome_of([FhirIssue(diagnostics, code, severity)])
