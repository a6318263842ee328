"""Real browser: JupyterLab + Debian Chromium drive the explorer and the Migrate wizard.

Run All on ``widgets_demo.ipynb``; move the explorer's dirty-rate slider with the keyboard and
check that the summary changed; walk the Migrate wizard to Finish and check the result and log;
walk a second wizard (broken-vmotion-network, app41 -> esx-43) past "Compatibility checks
succeeded." to Finish and check the late failure (task started, failed at 10 %).
Screenshots go to ``artifacts/screenshots/``. Skipped (with the reason) if /usr/bin/chromium is
missing.
"""

import pytest

pytestmark = pytest.mark.browser

OUT = ".jp-OutputArea-output"


def _run_all(page, url, notebook):
    from playwright.sync_api import expect

    page.goto(f"{url}/lab/tree/{notebook}?reset")
    # kernel really ready: the status bar, not the toolbar indicator (tooling-notes §5)
    expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first).to_be_visible(
        timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def test_explorer_slider_by_keyboard_and_wizard_to_finish(lab_page, jupyter_lab, screenshot_dir):
    try:
        _walk(lab_page, jupyter_lab, screenshot_dir)
    except Exception:
        lab_page.screenshot(path=str(screenshot_dir / "FAILED-widgets-demo.png"), full_page=True)
        raise


def _walk(page, jupyter_lab, screenshot_dir):
    from playwright.sync_api import expect

    _run_all(page, jupyter_lab, "widgets_demo.ipynb")
    slider = page.locator(f"{OUT} .widget-slider", has_text="Dirty rate (MiB/s)").first
    slider.wait_for(timeout=180_000)
    summary = page.locator(f"{OUT} table.vmotion-summary").first
    expect(summary).to_contain_text("pre-copy rounds", timeout=30_000)
    page.locator(f"{OUT} img.widget-image").first.wait_for(timeout=30_000)
    before = summary.inner_text()
    page.screenshot(path=str(screenshot_dir / "explorer-before.png"), full_page=False)

    # keyboard only: focus the handle, three arrow presses = +150 MiB/s
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    expect(slider.locator(".widget-readout")).to_have_text("650", timeout=30_000)
    expect(summary).not_to_have_text(before, timeout=30_000)
    expect(page.locator(f"{OUT}", has_text="650 MiB/s").first).to_be_visible()
    slider.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "explorer-after-keyboard.png"), full_page=False)

    # Migrate wizard: type -> compute resource -> networks -> priority -> review -> Finish
    nxt = page.get_by_role("button", name="Next")
    nxt.first.scroll_into_view_if_needed()
    nxt.first.focus()
    page.keyboard.press("Enter")
    select = page.locator(f"{OUT} .widget-select select").first
    select.wait_for(timeout=30_000)
    select.select_option(value=None, label="host esx-02 (cl-prod, vc01)")
    compat = page.locator(f"{OUT}", has_text="Compatibility checks succeeded.").first
    expect(compat).to_be_visible(timeout=30_000)
    page.screenshot(path=str(screenshot_dir / "wizard-compute-resource.png"), full_page=False)
    finish = page.get_by_role("button", name="Finish").first
    current = page.locator(f"{OUT} li[aria-current='step']").first
    expect(current).to_have_text("2 Select a compute resource")
    for step in ("4 Select networks", "5 Select vMotion priority", "6 Ready to complete"):
        nxt.first.click()
        expect(current).to_have_text(step, timeout=30_000)
    expect(finish).to_be_enabled(timeout=30_000)
    expect(page.locator(f"{OUT} table.vmotion-summary", has_text="Ready to complete")
           ).to_be_visible()
    finish.click()
    done = page.locator(f"{OUT}", has_text="Relocate virtual machine: completed.").first
    expect(done).to_be_visible(timeout=60_000)
    expect(page.locator(f"{OUT} pre", has_text="Pre-copy iteration 0").first).to_be_attached()
    done.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "wizard-finished.png"), full_page=True)
    _late_failure(page, screenshot_dir)
    assert not page.external_requests, page.external_requests


def _late_failure(page, screenshot_dir):
    """Second wizard: vCenter's panel passes N1, Finish is enabled, the task fails at 10 %."""
    from playwright.sync_api import expect

    wiz = page.locator(OUT).filter(has=page.locator("option", has_text="app41")).first
    wiz.scroll_into_view_if_needed()
    wiz.get_by_role("button", name="Next").click()
    wiz.locator(".widget-select select").first.select_option(label="host esx-43 (cl-net, vc01)")
    expect(wiz.get_by_text("Compatibility checks succeeded.")).to_be_visible(timeout=30_000)
    spoiler = wiz.locator("details.vmotion-simulator-sees")
    expect(spoiler).to_be_visible()
    expect(spoiler.get_by_text("different subnets")).to_be_hidden()  # collapsed: no spoiler
    current = wiz.locator("li[aria-current='step']")
    for step in ("4 Select networks", "5 Select vMotion priority", "6 Ready to complete"):
        wiz.get_by_role("button", name="Next").click()
        expect(current).to_have_text(step, timeout=30_000)
    finish = wiz.get_by_role("button", name="Finish")
    expect(finish).to_be_enabled(timeout=30_000)
    finish.click()
    failed = wiz.get_by_text("Task started, then failed at 10 % (vMotion data transfer)")
    expect(failed).to_be_visible(timeout=60_000)
    expect(wiz).to_contain_text("the VM keeps running on esx-41")
    expect(wiz.locator("pre", has_text="failed at 10% (vMotion data transfer)")).to_be_attached()
    expect(wiz.locator("img.widget-image")).to_be_visible(timeout=30_000)
    failed.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "wizard-late-failure.png"), full_page=False)
    wiz.locator("img.widget-image").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "wizard-late-failure-timeline.png"), full_page=False)


def test_visual_tour_runs_in_jupyterlab(lab_page, jupyter_lab, screenshot_dir):
    """Run All on the appendix tour: every figure shows as an image with alt text, no errors."""
    from playwright.sync_api import expect

    page = lab_page
    try:
        _run_all(page, jupyter_lab, "appendix-visual-tour.ipynb")
        last = page.locator(f"{OUT}", has_text="Bar chart of pre-copy rounds").last
        expect(last).to_be_visible(timeout=240_000)
        expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first).to_be_visible(
            timeout=60_000)
        assert page.locator(f"{OUT}[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert page.locator(".jp-OutputArea-output .jp-RenderedText", has_text="Traceback"
                            ).count() == 0
        figures = page.locator(f"{OUT} img[alt]:not(.widget-image)")
        assert figures.count() >= 10
        alts = [figures.nth(i).get_attribute("alt") for i in range(figures.count())]
        bad = [figures.nth(i).evaluate("e => e.parentElement.outerHTML.slice(0, 300)") for i, a in enumerate(alts) if not a or len(a) <= 40]
        assert not bad, bad
        for name, text in (("tour-topology.png", "Environment 'broken-vmotion-network'"),
                           ("tour-animation.png", "Switch-over: the VM is stunned")):
            target = page.locator(OUT, has_text=text).first if "Switch" in text else \
                page.locator(f"{OUT} img[alt*='broken-vmotion-network']").first
            target.scroll_into_view_if_needed()
            page.wait_for_timeout(1500)  # the notebook renders cells lazily after a scroll
            target.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot_dir / name))
        assert not page.external_requests, page.external_requests
    except Exception:
        page.screenshot(path=str(screenshot_dir / "FAILED-visual-tour.png"))
        raise
