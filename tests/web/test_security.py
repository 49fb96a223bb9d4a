"""Security of the web desk: headers, CSRF, the owner's login and API token, rate limits,
redirects, and hostile content rendered inert on every page, feed and API answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lxml import etree, html
from tests.web.conftest import (
    HOSTILE_OUTLET,
    HOSTILE_TITLE,
    OWNER_PASSWORD,
    assert_inert,
    assert_inert_feed,
    form_token,
    login,
    open_client,
    web_settings,
)

from newsdesk.errors import ConfigError
from newsdesk.store import Store
from newsdesk.store.browse import SearchFilters, search_articles
from newsdesk.web import create_app
from newsdesk.web.security import (
    CONTENT_SECURITY_POLICY,
    RateLimiter,
    hash_password,
    local_path,
    verify_password,
)

if TYPE_CHECKING:
    from starlette.testclient import TestClient


def hostile_pages(store: Store) -> list[str]:
    """Every page that shows the hostile inputs."""
    pages = ["/", "/stories", "/search?q=harbour", "/search?q=pirates&kind=stories",
             "/entities/person/Ingrid Solberg", "/entities/country/NO", "/briefings"]  # fmt: skip
    for query in ('"Harbour talks"', '"Pirates strike"'):
        for hit in search_articles(store, SearchFilters(query=query)).items:
            pages += [f"/articles/{hit.id}", f"/stories/{hit.story}"]
    assert len(pages) >= 11, "both hostile inputs are stored and clustered"
    return pages


def test_hostile_content_is_inert_on_every_page(client: TestClient, desk_store: Store):
    seen = ""
    for path in hostile_pages(desk_store):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_inert(page.text)
        seen += html.document_fromstring(page.text).text_content()
    # shown as the text it is, not dropped
    assert HOSTILE_TITLE in seen
    assert HOSTILE_OUTLET in seen
    assert "<img src=x onerror=alert('headline')> Pirates strike off Somalia" in seen
    assert "<script>alert('text')</script> The crew of 20" in seen


def test_hostile_content_is_inert_in_feeds(client: TestClient):
    for path in ("/briefings.atom", "/search.atom?q=harbour", "/search.atom?q=pirates"):
        feed = client.get(path)
        assert feed.status_code == 200
        assert_inert_feed(feed.content)
    feed = etree.fromstring(client.get("/search.atom?q=pirates").content)
    contents = [c.text or "" for c in feed.iter("{http://www.w3.org/2005/Atom}content")]
    assert any("&lt;script&gt;" in content for content in contents)  # shown, as text


def test_javascript_links_from_outside_never_become_links(client: TestClient, desk_store: Store):
    [hit] = search_articles(desk_store, SearchFilters(query='"Pirates strike"')).items
    page = client.get(f"/articles/{hit.id}")
    assert "javascript:" not in " ".join(html.document_fromstring(page.text).xpath("//@href"))
    api = client.get(f"/api/articles/{hit.id}")
    assert api.headers["content-type"] == "application/json"
    assert api.json()["article"]["url"] == "javascript:alert('url')"  # data, never a link


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/api/stories", "/nowhere", "/openapi.json"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (
        "script-src" not in CONTENT_SECURITY_POLICY
        and "default-src 'none'" in headers["content-security-policy"]
    )
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


def test_pages_need_nothing_the_policy_forbids(client: TestClient):
    for path in ("/", "/subscribe", "/search?q=navy", "/login"):
        document = html.document_fromstring(client.get(path).text)
        assert not document.xpath("//script | //style | //*[@style] | //iframe")
        sheets = document.xpath("//link[@rel='stylesheet']/@href")
        assert sheets == ["/static/desk.css"]


def test_a_form_without_a_csrf_token_is_refused(client: TestClient, smtp_server):
    client.get("/subscribe")
    response = client.post("/subscribe", data={"email": "ana@example.org"})
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert smtp_server.handler.count() == 0


def test_a_csrf_token_of_another_browser_is_refused(client: TestClient, desk_store: Store):
    token = form_token(client.get("/subscribe").text)
    with open_client(desk_store, web_settings(client.app.state.desk.settings.db)) as other:
        other.get("/subscribe")  # its own cookie, which the token was not made for
        response = other.post("/subscribe", data={"email": "ana@example.org", "csrf_token": token})
    assert response.status_code == 403


def test_an_altered_csrf_token_is_refused(client: TestClient):
    token = form_token(client.get("/subscribe").text)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post("/subscribe", data={"email": "ana@example.org", "csrf_token": altered})
    assert response.status_code == 403


def test_owner_pages_need_a_login(client: TestClient):
    response = client.get("/sources", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fsources"
    token = form_token(client.get("/login").text)
    added = client.post("/sources", data={"url": "https://example.org/feed", "csrf_token": token})
    assert added.status_code == 401
    removed = client.post("/sources/1/remove", data={"csrf_token": token})
    assert removed.status_code == 401


def test_the_owner_logs_in_and_out(client: TestClient):
    token = form_token(client.get("/login").text)
    wrong = client.post("/login", data={"password": "guess", "csrf_token": token})
    assert wrong.status_code == 401
    assert "That is not the owner" in wrong.text
    login(client)
    assert client.get("/sources").status_code == 200
    cookie = client.cookies.get("newsdesk_owner")
    assert cookie
    out = client.post("/logout", data={"csrf_token": form_token(client.get("/sources").text)})
    assert out.status_code == 200  # followed to the home page
    assert client.get("/sources", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "x"],
)
def test_login_never_redirects_off_site(client: TestClient, target: str):
    token = form_token(client.get("/login").text)
    data = {"password": OWNER_PASSWORD, "csrf_token": token, "next": target}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sources"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/stories/3?x=1", "/stories/3?x=1"),
        ("//evil.example", "/"),
        ("/ok\r\nSet-Cookie:", "/"),
        ("", "/"),
        (None, "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_local_path(target: str | None, expected: str):
    assert local_path(target) == expected


def test_wrong_passwords_are_rate_limited(desk_store: Store, desk_url: str):
    with open_client(desk_store, web_settings(desk_url, login_per_hour=2)) as client:
        for _ in range(2):
            token = form_token(client.get("/login").text)
            assert (
                client.post("/login", data={"password": "no", "csrf_token": token}).status_code
                == 401
            )
        token = form_token(client.get("/login").text)
        right = {"password": OWNER_PASSWORD, "csrf_token": token}
        blocked = client.post("/login", data=right, follow_redirects=False)
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        bearer = {"Authorization": f"Bearer {OWNER_PASSWORD}"}
        assert client.get("/api/sources", headers=bearer).status_code == 429


def test_subscribing_is_rate_limited_per_client(desk_store: Store, desk_url: str, smtp_server):
    settings = web_settings(desk_url, subscribe_per_hour=2, smtp_host=smtp_server.host,
                            smtp_port=smtp_server.port)  # fmt: skip
    with open_client(desk_store, settings) as client:
        statuses = []
        for number in range(3):
            token = form_token(client.get("/subscribe").text)
            data = {"email": f"limited{number}@example.org", "csrf_token": token}
            statuses.append(client.post("/subscribe", data=data).status_code)
    assert statuses == [200, 200, 429]
    assert smtp_server.handler.count() == 2


def test_without_an_owner_password_there_are_no_owner_pages(desk_store: Store, desk_url: str):
    with open_client(desk_store, web_settings(desk_url, owner_password_hash="")) as client:
        page = client.get("/login")
        assert page.status_code == 403
        assert "--hash-password" in page.text
        api = client.get("/api/sources", headers={"Authorization": "Bearer anything"})
        assert api.status_code == 403


def test_a_malformed_password_hash_is_a_config_error(desk_store: Store, desk_url: str):
    with pytest.raises(ConfigError, match="owner_password_hash"):
        create_app(desk_store, web_settings(desk_url, owner_password_hash="plain-text-password"))


def test_password_hashes_are_salted_and_checked_exactly():
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("s3cret", first) and verify_password("s3cret", second)
    assert not verify_password("s3cret ", first)
    assert not verify_password("s3cret", "")
    assert not verify_password("s3cret", "scrypt$1$1$1$AAAA$AAAA")


def test_rate_limiter_slides_its_window():
    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.allow("a") is None and limiter.allow("a") is None
    assert limiter.allow("a") == pytest.approx(60)
    assert limiter.allow("b") is None  # per client
    now[0] = 30
    assert limiter.wait_time("a") == pytest.approx(30)
    now[0] = 60.5
    assert limiter.allow("a") is None
