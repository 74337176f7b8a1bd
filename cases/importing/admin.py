"""The admin side: the upload form's checks, where a previewed file waits, and the export and
import mixins."""

import contextlib
import re
import tempfile
import time
import uuid
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    SuspiciousOperation,
)
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from import_export.tmp_storages import BaseStorage

from .common import UnreadableFile, grouped, max_bytes, max_rows
from .files import FORMATS
from .resources import CaseResource, FigureResource


class FigureImportForm(ImportForm):
    """The upload form, which refuses a file it cannot read, one with the wrong columns and
    one too large to preview, before any row is tried."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.resource_classes = resources
        self.fields["import_file"].help_text = _(
            "A CSV file (UTF-8 or GBK, as Excel saves it) or an Excel workbook (.xlsx) with "
            "the columns of a figures export, at most %(rows)s rows. A figure whose slug is "
            "known is updated; one with a new slug is added."
        ) % {"rows": grouped(max_rows())}

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        choice = cleaned_data.get("format")
        if upload is None or choice in (None, ""):
            return cleaned_data
        if upload.size > max_bytes():
            self.add_error(
                "import_file",
                _("The file is %(size)s MB; at most %(limit)s MB can be imported at once.")
                % {
                    "size": grouped(-(-upload.size // 2**20)),
                    "limit": grouped(max_bytes() // 2**20),
                },
            )
            return cleaned_data
        try:
            dataset = self.formats[int(choice)]().create_dataset(b"".join(upload.chunks()))
        except UnreadableFile as problem:
            self.add_error("import_file", problem.message)
            return cleaned_data
        resource_class = self.resource_classes[int(cleaned_data.get("resource") or 0)]
        column_problem = resource_class.column_problem(dataset.headers)
        if column_problem:
            self.add_error("import_file", column_problem)
        elif dataset.height > max_rows():
            self.add_error(
                "import_file",
                _(
                    "The file has more than %(limit)s rows; at most %(limit)s can be imported "
                    "at once. Split it into smaller files."
                )
                % {"limit": grouped(max_rows())},
            )
        return cleaned_data


class PreviewStorage(BaseStorage):
    """Where an uploaded file waits between its preview and "Confirm import": a folder of the
    casebook's own, files named by a random hex name that the confirm form carries back.
    A name of any other shape is refused before any path is built from it, and previews never
    confirmed are deleted after PREVIEW_LIFETIME."""

    PREVIEW_LIFETIME = 3600
    NAME = re.compile(r"[0-9a-f]{32}")

    @classmethod
    def folder(cls):
        path = Path(tempfile.gettempdir()) / "casebook-import-previews"
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    @classmethod
    def is_name(cls, name):
        return bool(name) and bool(cls.NAME.fullmatch(name))

    @classmethod
    def remove_expired(cls):
        oldest = time.time() - cls.PREVIEW_LIFETIME
        for path in cls.folder().iterdir():
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < oldest:
                    path.unlink()

    def path(self):
        if not self.is_name(self.name):
            raise FileNotFoundError("not a preview of this site")
        return self.folder() / self.name

    def save(self, data):
        self.remove_expired()
        self.name = uuid.uuid4().hex
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(self.path(), mode, encoding=None if mode == "wb" else self.encoding) as file:
            file.write(data)

    def read(self):
        mode = self.read_mode if "b" in self.read_mode else "r"
        with open(self.path(), mode, encoding=None if "b" in mode else self.encoding) as file:
            return file.read()

    def remove(self):
        self.path().unlink()


class SpreadsheetExport:
    """Exports as CSV for Excel and as XLSX, with every column of the resource."""

    formats = import_formats = export_formats = FORMATS
    export_form_class = ExportForm
    export_file_stem = "export"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Cells stay typed (numbers, dates) here; each format writes them its own way.
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        data.title = self.export_file_stem
        return file_format.export_data(data)

    def get_export_filename(self, request, queryset, file_format):
        today = timezone.localdate().isoformat()
        return f"casebook-{self.export_file_stem}-{today}.{file_format.get_extension()}"


class CaseExportMixin(SpreadsheetExport, ExportMixin):
    """Export the case list, as filtered, as CSV or XLSX."""

    resource_classes = [CaseResource]
    export_file_stem = "cases"


class FigureImportExportMixin(SpreadsheetExport, ImportExportMixin):
    """Export figures, and import them with a dry-run preview."""

    resource_classes = [FigureResource]
    import_form_class = FigureImportForm
    export_file_stem = "figures"
    tmp_storage_class = PreviewStorage

    def process_import(self, request, **kwargs):
        """Confirm a previewed import. A confirm form whose format or file name was changed
        (a file of ours is named by PreviewStorage, a format by its place in the list) is
        refused like an expired preview, without touching any path it names."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        choice = request.POST.get("format", "")
        usable = (
            choice.isascii()
            and choice.isdigit()
            and int(choice) < len(self.get_import_formats())
            and PreviewStorage.is_name(request.POST.get("import_file_name", ""))
        )
        if not usable:
            return self.preview_gone(request)
        try:
            return super().process_import(request, **kwargs)
        except (FileNotFoundError, UnreadableFile):
            # Pressed twice, past the clean-up, or a format that does not fit the file.
            return self.preview_gone(request)

    def preview_gone(self, request):
        messages.error(
            request,
            _(
                "This preview was already imported, or has expired. Upload the file "
                "again to see what it would change."
            ),
        )
        app_label, model_name = self.get_model_info()
        return HttpResponseRedirect(
            reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
        )

    def process_dataset(self, dataset, form, request, **kwargs):
        # The confirm form names a file by itself; only a previewed file gets this far.
        resource_class = self.choose_import_resource_class(form, request)
        if resource_class.column_problem(dataset.headers) or dataset.height > max_rows():
            raise SuspiciousOperation("Import confirmed for a file that was not previewed.")
        return super().process_dataset(dataset, form, request, **kwargs)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file",
                _("This file could not be read. Check that the format matches the file."),
            )

    def get_import_data_kwargs(self, **kwargs):
        # One bad row undoes the whole confirmed import, not just that row.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            return self.refused_import(result, request)
        return super().process_result(result, request)

    def refused_import(self, result, request):
        """The upload page again with the rows that failed, when rows that passed the preview
        fail on confirming (the records they name changed in between)."""
        messages.error(
            request,
            _(
                "Nothing was imported: some rows no longer pass the checks they passed in the "
                "preview, because records changed in the meantime. The rows are listed below; "
                "correct the file and upload it again."
            ),
        )
        resource_classes = self.get_import_resource_classes(request)
        form = self.get_import_form_class(request)(self.get_import_formats(), resource_classes)
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource().get_user_visible_fields()],
                )
                for resource in resource_classes
            ],
            "import_error_display": self.import_error_display,
            "result": result,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)
