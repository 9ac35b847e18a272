"""Write docs/extraction-view.png and docs/eval-report.png from headless Chromium.

By default from the model-free sample data of tests/test_render_browser.py; with real data:

    python benchmarks/screenshots.py --extraction seed.json --text examples/seed-article.txt \
        --run evals/runs/RUN_ID

(after .ci/setup-browser.sh and `pip install -e '.[dev]'`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402

from extractor.evals.runner import rescore  # noqa: E402
from extractor.render import extraction_html, report_html  # noqa: E402
from extractor.schema import Extraction  # noqa: E402
from tests.test_render_browser import (  # noqa: E402
    chromium_driver,
    open_page,
    sample_extraction,
    sample_run,
    tooltip_for,
)


def viewport(driver: object, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # type: ignore[attr-defined]
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})


def main(out: Path = ROOT / "docs") -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--extraction", type=Path, help="an Extraction as JSON")
    ap.add_argument("--text", type=Path, help="the article it came from")
    ap.add_argument("--run", type=Path, help="a stored eval run folder")
    args = ap.parse_args()
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        driver = chromium_driver(tmpdir / "profile")
        try:
            viewport(driver, 1440, 900)
            if args.extraction:
                ex = Extraction.model_validate_json(args.extraction.read_text())
                text = args.text.read_text()
            else:
                ex, text = sample_extraction()
            open_page(driver, extraction_html(ex, text), tmpdir / "extraction.html")
            driver.find_element("css selector", 'li[data-item="t1"]').click()
            driver.execute_script("window.scrollTo(0, 0)")
            if args.extraction:  # real marks nest actor mentions: hover the side entry
                tooltip_for(driver, driver.find_element("css selector", 'li[data-item="t2"]'))
            else:
                tooltip_for(driver, 'mark[data-item="t1"]')
            driver.save_screenshot(str(out / "extraction-view.png"))

            viewport(driver, 1440, 1500)
            run = rescore(args.run) if args.run else sample_run(tmpdir)
            open_page(driver, report_html(run), tmpdir / "report.html")
            pick = 'li[data-status="missed"]' if args.run else \
                'details.pairview[data-pair^="staged"] li[data-status="missed"]'
            driver.find_element("css selector", pick).click()
            driver.execute_script("window.scrollTo(0, 0)")
            pointer = ActionChains(driver)
            pointer.w3c_actions.pointer_action.move_to_location(8, 8)  # off any item: no tooltip
            pointer.perform()
            driver.save_screenshot(str(out / "eval-report.png"))
        finally:
            driver.quit()
    print(f"wrote {out / 'extraction-view.png'} and {out / 'eval-report.png'}")


if __name__ == "__main__":
    main()
