"""Take the README's screenshots from a running demo.

    .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python docs/screenshots.py [--base-url http://127.0.0.1:8000]

Reads the demo database (the same settings as runserver) to find the exhibition with the
most booths, then drives Debian's chromium through Playwright and writes
docs/screenshots/<name>.png, each reduced to a 256-colour palette to stay small.

The staff report is taken on the past demo show (it has held meetings, values and rates).
A badge is a PDF, not a page: its first page (the exhibitor login's A6 badge) is rendered to
PNG with pypdfium2 (requirements-dev.txt), since Chromium shows no PDF headless.
"""

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "demo-pass-2027"  # noqa: S105 (the published demo password)
STAFF = "staff@demo.fairlink.example"
EXHIBITOR = "exhibitor@demo.fairlink.example"
MAX_BYTES = 200 * 1024
VIEWPORT, TALL, PDF = "viewport", "tall", "pdf"  # how each screenshot is taken (tall: 1280×1300)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def demo_pages():
    """(name, who signs in or None, path) for each screenshot, from the demo database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse

    from exhibitions.models import Exhibition

    exhibition = Exhibition.objects.annotate(n=Count("booths")).order_by("-n", "-starts_on").first()
    if exhibition is None:
        raise SystemExit("No exhibition in the database: run `manage.py seed_demo` first.")
    slug = {"slug": exhibition.slug}
    reported = Exhibition.objects.filter(meetings__status="held").order_by("-starts_on").first() or exhibition
    return [
        ("report", STAFF, reverse("exhibitions:report", kwargs={"slug": reported.slug}), TALL),
        ("badge", EXHIBITOR, reverse("exhibitions:my_badge", kwargs={"slug": reported.slug}), PDF),
        ("home", None, reverse("home"), VIEWPORT),
        ("exhibition", None, reverse("exhibitions:detail", kwargs=slug), VIEWPORT),
        ("directory", None, reverse("exhibitions:directory", kwargs=slug), VIEWPORT),
        ("agenda", EXHIBITOR, reverse("exhibitions:meetings_agenda", kwargs=slug), VIEWPORT),
        ("review", STAFF, reverse("companies:review"), VIEWPORT),
    ]


def save_small_png(png_bytes, path):
    """Write a screenshot as a palette PNG (UI colours survive; the file shrinks 3-5 times)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


def pdf_first_page_png(pdf_bytes, scale=2.5):
    """The first page of a PDF as PNG bytes (pypdfium2 renders it; CID fonts need no files)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    page = document[0]
    image = page.render(scale=scale).to_pil()
    page.close()
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def login(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", default="", help="comma-separated names, e.g. report,badge")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    wanted = set(filter(None, args.only.split(",")))
    pages = [page for page in demo_pages() if not wanted or page[0] in wanted]

    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        for name, email, path, how in pages:
            height = 1300 if how == TALL else 800
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": height})
            page = context.new_page()
            if email:
                login(page, base_url, email)
            if how == PDF:  # fetched with the signed-in session, rendered without the browser
                response = context.request.get(base_url + path)
                png = pdf_first_page_png(response.body()) if response.status == 200 else None
            else:
                response = page.goto(base_url + path)
                png = page.screenshot() if response and response.status == 200 else None
            if png is None:
                print(f"{name}: {path} answered {response and response.status}; skipped")
                context.close()
                continue
            size = save_small_png(png, OUT / f"{name}.png")
            print(f"{name}: {path} -> docs/screenshots/{name}.png ({size // 1024} KB)")
            if size > MAX_BYTES:
                print(f"  warning: larger than {MAX_BYTES // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
