"""Admin pages whose edits show on the public site at once."""

from django.contrib import admin


class RefreshesSite(admin.ModelAdmin):
    """Runs `refresh()` after every save (with its inlines) and delete made on this page.

    Subclasses name what to refresh: the page cache and search lists follow the content
    version, which admin edits would otherwise leave behind until the next publish or import.
    """

    def refresh(self) -> None:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.refresh()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.refresh()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.refresh()
