"""Browser test (Debian Chromium through Playwright, never ``playwright install``): a learner signs
in, the hub starts their server, they open lab01 in JupyterLab, do the task, run the notebook,
submit with ``lab.submit()`` and see their feedback; the instructor's dashboard shows the row
change. Screenshots go to ``artifacts/screenshots/class-*.png``. Every request that would leave
the loopback hub is refused.
"""

import pytest
from hubclass import ROOT, ClassUnderTest, require_class_host

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
# the learner's work, one statement per line (typed into the exercise cell as the learner would)
WORK = [
    'import ipaddress; net = ipaddress.ip_network(p["vmotion_subnet"])',
    'lab.env = lab.env.set_switch("vSwitch1", host=p["host_a"], mtu=p["mtu"]) '
    'if p["mtu"] > 1500 else lab.env',
    'lab.env = lab.env.set_switch("vSwitch1", host=p["host_b"], mtu=p["mtu"]) '
    'if p["mtu"] > 1500 else lab.env',
    'lab.env = lab.env.add_vmknic(p["host_a"], ip=str(net[21]), prefix=net.prefixlen, '
    'port_group="vMotion", services=("vmotion",), mtu=p["mtu"])',
    'lab.env = lab.env.add_vmknic(p["host_b"], ip=str(net[22]), prefix=net.prefixlen, '
    'port_group="vMotion", services=("vmotion",), mtu=p["mtu"])',
]


@pytest.fixture(scope="module")
def chromium(chromium_browser):
    """The session's one Chromium (tests/conftest.py): Playwright's sync API runs once a process."""
    return chromium_browser


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    require_class_host()
    c = ClassUnderTest(tmp_path_factory.mktemp("class-browser"),
                       [("eva", "learner"), ("ida", "learner"), ("tom", "instructor")])
    try:
        yield c.start()
    finally:
        c.close()


def _page(browser, klass):
    page = browser.new_page(viewport={"width": 1400, "height": 950})
    page.external = []

    def route(r):
        if r.request.url.startswith((klass.url, "data:", "blob:", "ws://127.0.0.1")):
            r.continue_()
        else:
            page.external.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    return page


def _login(page, klass, short):
    page.goto(klass.url + "/hub/login")
    page.fill("#username_input", klass.user(short))
    page.fill("#password_input", klass.passwords()[klass.user(short)])
    page.click("#login_submit")


def test_learner_submits_in_jupyterlab_and_instructor_sees_the_row_change(chromium, klass):
    from playwright.sync_api import expect
    SHOTS.mkdir(parents=True, exist_ok=True)
    eva = klass.user("eva")
    teacher = _page(chromium, klass)
    _login(teacher, klass, "tom")
    teacher.goto(klass.url + "/services/class/dashboard")
    cell = teacher.locator(f'[data-testid="cell-{eva}/lab01"]')
    expect(cell).to_have_text("-", timeout=60_000)
    teacher.screenshot(path=str(SHOTS / "class-dashboard-before.png"))

    learner = _page(chromium, klass)
    _login(learner, klass, "eva")               # the hub spawns the server and opens JupyterLab
    learner.wait_for_url(f"**/user/{eva}/lab/**", timeout=180_000)
    learner.goto(f"{klass.url}/user/{eva}/lab/tree/labs/lab01.ipynb?reset")
    expect(learner.locator(".jp-StatusBar-TextItem", has_text="| Idle").first).to_be_visible(
        timeout=120_000)
    exercise = learner.locator(".jp-CodeCell", has_text="YOUR CODE HERE").first
    exercise.locator(".cm-content").click()
    learner.keyboard.press("Control+a")
    learner.keyboard.insert_text("\n".join(WORK))
    learner.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    learner.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    feedback = learner.locator(".jp-OutputArea-output", has_text="Handed in lab01")
    expect(feedback).to_be_visible(timeout=180_000)
    feedback.scroll_into_view_if_needed()
    expect(feedback).to_contain_text("All public checks passed")
    learner.screenshot(path=str(SHOTS / "class-learner-feedback.png"))

    expect(cell).not_to_have_text("-", timeout=30_000)   # the grid updates live (polling)
    expect(cell).to_have_class("cell s-full changed")
    cell.click()
    expect(teacher.locator("#dtitle")).to_contain_text(eva)
    expect(teacher.frame_locator("#dframe").locator("text=lab01.h1").first).to_be_visible(
        timeout=30_000)                                   # hidden checks: instructors see them
    teacher.screenshot(path=str(SHOTS / "class-dashboard-after.png"), full_page=True)
    assert learner.external == [] and teacher.external == []
