"""Browser journey: a chief officer signs in and reads the force's NOM framework."""

import pytest

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_chief_officer_signs_in_and_reads_the_framework(alice, force_a, login, live_server, page):
    """Given Alice, a chief officer in Avon and Somerset,
    When she signs in,
    Then she lands on her work, one click from her force's NOM framework page, and can
    switch to the pillar view there."""
    login("alice")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="NOM framework").click()
    assert page.url.endswith(f"/forces/{force_a.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == force_a.full_name
    assert page.get_by_role(
        "heading", name="Aim one – outcome justice for all victims"
    ).is_visible()
    page.get_by_role("tab", name="The six pillars").click()
    assert page.get_by_role("heading", name="Pillar 6: Digital forensics").is_visible()


def test_wrong_password_is_refused_with_a_message(alice, login, page):
    """Given Alice, when she mistypes her password, then she stays on the sign-in page with an error."""
    login("alice", "wrong-password")
    assert "/login/" in page.url
    assert page.get_by_role("alert").inner_text().startswith("Check your username")
    assert_accessible(page)


def test_keyboard_users_can_skip_to_content(alice, login, page):
    """The first Tab stop is the skip link, and it is visible when focused."""
    login("alice")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    assert page.get_by_text("Skip to main content").is_visible()
