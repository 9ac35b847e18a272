"""Write docs/extraction-view.png and docs/eval-report.png from headless Chromium.

Uses the model-free sample data of tests/test_render_browser.py (a fixture's gold, a stored run
re-scored), so it needs no model: `python benchmarks/screenshots.py` (after
.ci/setup-browser.sh and `pip install -e '.[browser,dev]'`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402

from extractor.render import extraction_html, report_html  # noqa: E402
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
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        driver = chromium_driver(tmpdir / "profile")
        try:
            viewport(driver, 1440, 900)
            ex, text = sample_extraction()
            open_page(driver, extraction_html(ex, text), tmpdir / "extraction.html")
            driver.find_element("css selector", 'li[data-item="t1"]').click()
            driver.execute_script("window.scrollTo(0, 0)")
            tooltip_for(driver, 'mark[data-item="t1"]')
            driver.save_screenshot(str(out / "extraction-view.png"))

            viewport(driver, 1440, 1500)
            open_page(driver, report_html(sample_run(tmpdir)), tmpdir / "report.html")
            driver.find_element(
                "css selector", 'details.pairview[data-pair^="staged"] li[data-status="missed"]'
            ).click()
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
