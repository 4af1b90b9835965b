"""CareAtlas: sourced procedure guides and verified providers."""
