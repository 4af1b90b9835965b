"""The FHIR R4 provider directory (Da Vinci Plan-Net) at /fhir/."""
