"""Take the README's screenshots from a running demo.

    .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python docs/screenshots.py [--base-url http://127.0.0.1:8000]

Reads the demo database (the same settings as runserver) to find the exhibition with the
most booths, then drives Debian's chromium through Playwright and writes
docs/screenshots/<name>.png, each reduced to a 256-colour palette to stay small.
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
    return [
        ("home", None, reverse("home")),
        ("exhibition", None, reverse("exhibitions:detail", kwargs=slug)),
        ("directory", None, reverse("exhibitions:directory", kwargs=slug)),
        ("agenda", EXHIBITOR, reverse("exhibitions:meetings_agenda", kwargs=slug)),
        ("review", STAFF, reverse("companies:review")),
    ]


def save_small_png(png_bytes, path):
    """Write a screenshot as a palette PNG (UI colours survive; the file shrinks 3-5 times)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


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
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    pages = demo_pages()

    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        for name, email, path in pages:
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            if email:
                login(page, base_url, email)
            response = page.goto(base_url + path)
            if response is None or response.status != 200:
                print(f"{name}: {path} answered {response and response.status}; skipped")
                context.close()
                continue
            size = save_small_png(page.screenshot(), OUT / f"{name}.png")
            print(f"{name}: {path} -> docs/screenshots/{name}.png ({size // 1024} KB)")
            if size > MAX_BYTES:
                print(f"  warning: larger than {MAX_BYTES // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
