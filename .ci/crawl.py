"""Requests every public page of a running site and fails on any answer that is not 2xx.

Usage: python .ci/crawl.py http://127.0.0.1:8766

The pages are the fixed entry points below plus every page the sitemap lists (both languages),
and every stylesheet and script those pages link. Requests carry X-Forwarded-Proto: https, as
nginx in front of gunicorn would send them. HTML pages must also carry the security headers.
"""

import re
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

ENTRY_POINTS = [
    "/",
    "/en/",
    "/cases/",
    "/en/cases/?issue=social-assistance&q=%E5%AF%BB%E4%BA%BA",
    "/issues/",
    "/companies/",
    "/compare/",
    "/compare/?company=tencent&company=alibaba&company=meituan",
    "/en/compare/?company=tencent&company=alibaba",
    "/metrics/",
    "/metrics/?category=people",
    "/metrics/figures.csv",
    "/sources/",
    "/search/?q=%E8%85%BE%E8%AE%AF",
    "/en/search/?q=wheelchairs",
    "/data/",
    "/data/latest/csi-casebook.zip",
    "/api/v1/",
    "/api/v1/cases/?issue=social-assistance&q=%E5%AF%BB%E4%BA%BA",
    "/api/v1/figures/?format=csv&page_size=500",
    "/api/v1/scorecards/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/robots.txt",
    "/sitemap.xml",
    "/healthz",
    "/admin/login/",
    "/en/admin/login/",
]
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
]


def fetch(base, path):
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def local_path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def main(base):
    status, _headers, sitemap = fetch(base, "/sitemap.xml")
    if status != 200:
        sys.exit(f"/sitemap.xml answered {status}")
    # The sitemap is an index of sections: the pages are listed in those.
    listed = []
    for section in re.findall(r"<loc>([^<]+)</loc>", sitemap.decode()):
        status, _headers, xml = fetch(base, local_path(section))
        if status != 200:
            sys.exit(f"{local_path(section)} answered {status}")
        listed += re.findall(r"<loc>([^<]+)</loc>|href=\"(https?://[^\"]+)\"", xml.decode())
    pages = list(dict.fromkeys(ENTRY_POINTS + [local_path(a or b) for a, b in listed]))
    assets, failures = set(), []
    for path in pages:
        status, headers, body = fetch(base, path)
        if not 200 <= status < 300:
            failures.append(f"{status} {path}")
            continue
        if headers.get_content_type() == "text/html":
            missing = [name for name in SECURITY_HEADERS if name not in headers]
            if missing:
                failures.append(f"{path} lacks {', '.join(missing)}")
            html = body.decode("utf-8", "replace")
            assets.update(re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html))
    for path in sorted(assets):
        status, _headers, _body = fetch(base, path)
        if not 200 <= status < 300:
            failures.append(f"{status} {path}")
    print(f"{len(pages)} pages and {len(assets)} static files requested")
    if failures:
        sys.exit("not served as expected:\n" + "\n".join(failures))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
