"""The one error type of the content pack: file, field and reason."""


class ContentError(Exception):
    def __init__(self, file: str, field: str, reason: str):
        self.file, self.field, self.reason = file, field, reason
        super().__init__(f"{file}: {field}: {reason}" if field else f"{file}: {reason}")
