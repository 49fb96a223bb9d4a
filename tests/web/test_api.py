"""The JSON API and the owner's sources page, against the desk of real news."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pydantic import TypeAdapter
from tests.http_server import LocalServer, serve, static
from tests.web.conftest import OWNER_PASSWORD, form_token, login

from newsdesk.briefing.compose import compose_briefing
from newsdesk.models import Briefing
from newsdesk.store import Store
from newsdesk.store.browse import SearchFilters, search_stories
from newsdesk.store.sources import list_sources
from newsdesk.web.desk import Editions

if TYPE_CHECKING:
    from starlette.testclient import TestClient

OWNER = {"Authorization": f"Bearer {OWNER_PASSWORD}"}


@pytest.fixture
def feed_server(shared_data: Path) -> Iterator[LocalServer]:
    """A local server with a real feed (the Guardian's, 2018) and a plain page."""
    with serve() as server:
        feed = (shared_data / "feeds" / "guardian.rss").read_bytes()
        server.route("/world.rss", static(feed, "application/rss+xml"))
        server.route("/page.html", static(b"<html><body><p>No feed here.</p></body></html>"))
        yield server


def test_briefings_are_listed_and_each_is_the_brief_json_contract(
    client: TestClient, desk_store: Store
):
    days = client.get("/api/briefings").json()
    latest = Editions(desk_store).latest_day().isoformat()
    assert days[0]["date"] == latest and days[0]["articles"] > 0
    briefing = client.get(f"/api/briefings/{latest}").json()
    expected = compose_briefing(desk_store, Editions(desk_store).latest_day())
    assert briefing == TypeAdapter(Briefing).dump_python(expected, mode="json")
    assert {"date", "subscriber", "top", "sections"} <= set(briefing)
    item = briefing["top"][0]
    assert {"story", "headline", "summary", "facts", "countries", "update", "sources"} <= set(item)


def test_stories_are_listed_and_each_is_whole(client: TestClient):
    listing = client.get("/api/stories", params={"per_page": 3}).json()
    assert len(listing["items"]) == 3 and listing["has_next"] is True
    story = client.get(f"/api/stories/{listing['items'][0]['id']}").json()
    assert story["id"] == listing["items"][0]["id"]
    assert {"articles", "timeline", "quotes", "counts", "places", "countries"} <= set(story)
    assert client.get("/api/stories/999999").json() == {
        "detail": "no story 999999; search for it at /search"
    }


def test_an_article_comes_with_its_analysis_and_story(client: TestClient):
    [hit] = client.get("/api/search", params={"q": '"Ricochet killed Greek teenager"'}).json()[
        "items"
    ]
    article = client.get(f"/api/articles/{hit['id']}").json()
    assert article["article"]["title"] == "Ricochet killed Greek teenager"
    assert article["story"] == hit["story"] is not None
    assert "GR" in article["analysis"]["focus_countries"]
    assert client.get("/api/articles/999999").status_code == 404


def test_search_api_pages_and_filters(client: TestClient, desk_store: Store):
    first = client.get("/api/search", params={"sort": "newest", "per_page": 4}).json()
    second = client.get("/api/search", params={"sort": "newest", "per_page": 4, "page": 2}).json()
    assert first["has_next"] and len(first["items"]) == 4
    assert not {h["id"] for h in first["items"]} & {h["id"] for h in second["items"]}
    greek = client.get("/api/search", params={"country": "GR"}).json()["items"]
    assert greek and all("pirate" not in h["title"].lower() for h in greek)
    stories = client.get("/api/search/stories", params={"q": "Greece"}).json()["items"]
    expected = search_stories(desk_store, SearchFilters(query="Greece")).items
    assert [s["id"] for s in stories] == [s.id for s in expected]


def test_entity_api_has_stories_and_quotes(client: TestClient):
    person = client.get("/api/entities/person/Alexis Kouyias").json()
    assert person["kind"] == "person" and person["articles"] >= 1
    assert person["stories"]["items"]
    assert any("Now that we have" in quote["text"] for quote in person["quotes"])
    country = client.get("/api/entities/country/gr").json()
    assert (country["name"], country["label"]) == ("GR", "Greece")
    assert client.get("/api/entities/person/Nobody Anyone").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/stories?page=0",
        "/api/search?per_page=1000",
        "/api/search?country=GRC",
        "/api/briefings/2026-13-01",
        "/api/articles/abc",
        "/api/entities/alien/x",
    ],
)
def test_bad_api_input_is_a_422_naming_the_parameter(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"]


def test_the_openapi_schema_describes_every_operation(client: TestClient):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    expected = ["/api/briefings", "/api/briefings/{day}", "/api/stories", "/api/stories/{story_id}",
                "/api/articles/{article_id}", "/api/entities/{kind}/{name}", "/api/search",
                "/api/search/stories", "/api/sources", "/api/sources/{source_id}"]  # fmt: skip
    assert sorted(path for path in paths if path.startswith("/api/")) == sorted(expected)
    story = schema["components"]["schemas"]["Story"]["properties"]
    assert {"timeline", "quotes", "places"} <= set(story)
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert "/" not in paths and "/subscribe" not in paths  # pages are not the API


def test_sources_api_needs_the_owner(client: TestClient):
    assert client.get("/api/sources").status_code == 401
    wrong = client.get("/api/sources", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/sources", json={"url": "https://example.org/"}).status_code == 401
    assert client.delete("/api/sources/1").status_code == 401


def test_the_owner_adds_and_removes_a_source_through_the_api(
    client: TestClient, feed_server: LocalServer, desk_store: Store
):
    url = feed_server.url("/world.rss")
    added = client.post("/api/sources", json={"url": url, "region": "Europe"}, headers=OWNER)
    assert added.status_code == 201, added.text
    source = added.json()
    assert (source["kind"], source["region"]) == ("feed", "Europe")
    assert "Guardian" in source["name"]  # the feed's own title
    assert url in [s["url"] for s in client.get("/api/sources", headers=OWNER).json()]
    again = client.post("/api/sources", json={"url": url}, headers=OWNER)
    assert again.status_code == 400 and "registered already" in again.json()["detail"]
    removed = client.delete(f"/api/sources/{source['id']}", headers=OWNER)
    assert removed.status_code == 200 and removed.json()["url"] == url
    assert url not in [s.url for s in list_sources(desk_store)]


def test_the_owner_manages_sources_on_the_sources_page(
    client: TestClient, feed_server: LocalServer, desk_store: Store
):
    login(client)
    page = client.get("/sources")
    url = feed_server.url("/world.rss")
    data = {
        "url": url,
        "name": "Guardian world",
        "region": "Europe",
        "csrf_token": form_token(page.text),
    }
    added = client.post("/sources", data=data)
    assert added.status_code == 200 and "The source is added" in added.text
    assert "Guardian world" in added.text and "never" in added.text  # not fetched yet
    [source] = [s for s in list_sources(desk_store) if s.url == url]
    refused = client.post("/sources", data={"url": feed_server.url("/page.html"),
                                            "csrf_token": form_token(added.text)})  # fmt: skip
    assert refused.status_code == 400 and "no feed found" in refused.text
    removed = client.post(
        f"/sources/{source.id}/remove", data={"csrf_token": form_token(added.text)}
    )
    assert removed.status_code == 200 and "The source is removed" in removed.text
    assert url not in [s.url for s in list_sources(desk_store)]
