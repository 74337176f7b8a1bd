"""/data/: the published data releases (`cases.releases`), each release's page and files, and
"latest" addresses that always lead to the newest release."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import releases

# A release's files never change, so browsers and proxies may keep them for a year; a "latest"
# address changes meaning with each new release, so its redirect is kept for a minute only.
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"
# The zip of the newest release, under a name without its version.
LATEST_ZIP = "csi-casebook.zip"

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".sha256": "text/plain; charset=utf-8",
    ".zip": "application/zip",
}
# Files a browser should save rather than show.
DOWNLOADED = {".csv", ".zip"}


@require_safe
def data(request):
    """Every release, newest first, with its counts, changes and downloads."""
    context = {"releases": releases.list_releases()}
    return render(request, "cases/data.html", context)


@require_safe
def data_release(request, version):
    release = releases.get_release(version)
    if release is None:
        raise Http404("No such release.")
    context = {"release": release, "latest": releases.latest()}
    return render(request, "cases/data_release.html", context)


@require_safe
def data_file(request, version, filename):
    """One file of a release, as it was published; only the release's own file names."""
    release = releases.get_release(version)
    if release is None or filename not in release.files:
        raise Http404("No such file in this release.")
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    try:
        stream = open(release.path / filename, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError as error:  # removed from disk since the folder was read
        raise Http404("No such file in this release.") from error
    response = FileResponse(
        stream,
        as_attachment=suffix in DOWNLOADED,
        filename=filename,
        content_type=CONTENT_TYPES.get(suffix, "text/plain; charset=utf-8"),
    )
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def data_latest(request, filename=None):
    """A redirect to the newest release's page, or to its file `filename` (its zip also as
    csi-casebook.zip); to /data/ while there is no release yet."""
    release = releases.latest()
    if release is None:
        if filename is not None:
            raise Http404("No release has been published yet.")
        response = redirect("cases:data")
    elif filename is None:
        response = redirect("cases:data_release", version=release.version)
    else:
        name = release.zip_name if filename == LATEST_ZIP else filename
        if name not in release.files:
            raise Http404("No such file in the latest release.")
        response = redirect("cases:data_file", version=release.version, filename=name)
    response["Cache-Control"] = SHORT
    return response
