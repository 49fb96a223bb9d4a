"""The reader's pages over a desk of real news: each answers 200 and shows what it should."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from lxml import etree, html
from tests.web.conftest import serve_in_thread

from newsdesk.briefing.compose import compose_briefing
from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.store.browse import SearchFilters, search_articles, search_stories
from newsdesk.stories import load_story
from newsdesk.web import create_app
from newsdesk.web.desk import Editions

if TYPE_CHECKING:
    from starlette.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(page: str) -> str:
    """The text a reader sees, white space collapsed."""
    return " ".join(html.document_fromstring(page).text_content().split())


def story_with(store: Store, phrase: str) -> int:
    """The story of the best match for a phrase."""
    hits = search_stories(store, SearchFilters(query=f'"{phrase}"'))
    assert hits.items, f"no story mentions {phrase!r}"
    return hits.items[0].id


def test_home_shows_the_latest_briefing_and_the_archive(client: TestClient, desk_store: Store):
    editions = Editions(desk_store)
    briefing = compose_briefing(desk_store, editions.latest_day())
    page = client.get("/")
    assert page.status_code == 200
    seen = text_of(page.text)
    assert briefing.top, "the test desk's stories make a briefing"
    for item in briefing.top:
        assert " ".join(item.headline.split()) in seen
        assert f'href="/stories/{item.story}"' in page.text
    assert f'href="/briefings/{editions.latest_day().isoformat()}"' in page.text
    assert 'type="application/atom+xml"' in page.text


def test_each_day_of_the_archive_has_its_briefing(client: TestClient):
    archive = client.get("/briefings")
    assert archive.status_code == 200
    days = html.document_fromstring(archive.text).xpath("//ul[@class='archive']//a/@href")
    assert days
    for day in days:
        page = client.get(day)
        assert page.status_code == 200
        assert "Briefing for" in page.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ((datetime.now(UTC) + timedelta(days=3)).date().isoformat(), 404),
        ("2026-02-30", 422),
        ("yesterday", 422),
    ],
)
def test_a_briefing_that_cannot_exist_is_refused(client: TestClient, path: str, status: int):
    page = client.get(f"/briefings/{path}")
    assert page.status_code == status
    assert "briefing" in page.text.lower() or "day" in page.text.lower()


def test_a_quiet_day_has_a_briefing_page_saying_so(client: TestClient):
    page = client.get("/briefings/2001-01-01")
    assert page.status_code == 200
    assert "A quiet desk" in page.text


def test_story_page_shows_reports_copies_timeline_quotes_figures_and_map(
    client: TestClient, desk_store: Store
):
    story = load_story(desk_store, story_with(desk_store, "Indian navy"))
    assert story is not None
    page = client.get(f"/stories/{story.id}")
    assert page.status_code == 200
    seen = text_of(page.text)
    for article in story.articles:
        assert f'href="/articles/{article.id}"' in page.text
    copies = [a for a in story.articles if a.duplicate_of is not None]
    assert copies, "the wire copy is folded into the navy story"
    assert "1 copy elsewhere" in seen and "Copies Daily" in seen
    assert story.timeline and story.timeline[0].title in seen
    for quote in story.quotes:
        assert " ".join(quote.text.split()) in seen
    for count in story.counts:
        assert f"{count.number:,}" in seen
    svg = html.document_fromstring(page.text).xpath("//figure[@class='map']/svg")
    assert len(svg) == 1
    assert len(svg[0].xpath(".//circle")) == len(story.places)
    shaded = svg[0].xpath(".//path[not(@class='cov0')]")
    assert shaded, "the story's countries are shaded"


def test_story_that_does_not_exist_is_404(client: TestClient):
    assert client.get("/stories/999999").status_code == 404
    assert client.get("/stories/-1").status_code == 422


def test_article_page_marks_people_places_and_quotes_in_the_clean_text(
    client: TestClient, desk_store: Store
):
    hit = search_articles(desk_store, SearchFilters(query='"Karamanlis"')).items[0]
    stored = desk_store.get_article(hit.id)
    analysis = desk_store.get_analysis(hit.id)
    assert stored is not None and analysis is not None
    page = client.get(f"/articles/{hit.id}")
    assert page.status_code == 200
    document = html.document_fromstring(page.text)
    body = " ".join(document.xpath("string(//div[contains(@class,'body')])").split())
    first_paragraph = stored.article.body.split("\n\n")[0]
    assert " ".join(first_paragraph.split()) in body
    people = {
        " ".join(m.text_content().split())
        for m in document.xpath(
            "//div[contains(@class,'body')]/p[not(@class)]/mark[contains(@class,'hl-person')]"
        )
    }
    mentioned = {stored.article.body[s:e] for p in analysis.people for s, e in p.offsets}
    assert people and people <= {" ".join(m.split()) for m in mentioned}
    for kind in ("place", "quote"):
        assert document.xpath(f"//p[not(@class)]/mark[contains(@class,'hl-{kind}')]")
    assert f'href="/stories/{hit.story}"' in page.text


def test_article_that_does_not_exist_is_404(client: TestClient):
    assert client.get("/articles/999999").status_code == 404


def test_person_page_has_their_stories_and_what_they_said(client: TestClient, desk_store: Store):
    page = client.get("/entities/person/Alexis Kouyias")
    assert page.status_code == 200
    seen = text_of(page.text)
    greek = story_with(desk_store, "Greece")
    assert f'href="/stories/{greek}"' in page.text
    assert "What Alexis Kouyias said" in seen
    assert "Now that we have these conclusions" in seen


def test_country_page_has_its_stories_and_map(client: TestClient, desk_store: Store):
    page = client.get("/entities/country/gr")
    assert page.status_code == 200
    assert "<h1>Greece</h1>" in page.text
    assert f'href="/stories/{story_with(desk_store, "Greece")}"' in page.text
    svg = html.document_fromstring(page.text).xpath("//svg//path[@class='cov4']/title/text()")
    assert svg == ["Greece"]


@pytest.mark.parametrize(
    "path",
    ["/entities/person/Nobody Anyone", "/entities/country/ZZ", "/entities/place/Atlantis"],
)
def test_entity_nobody_mentions_is_404(client: TestClient, path: str):
    page = client.get(path)
    assert page.status_code == 404
    assert "no article mentions" in page.text


def test_unknown_entity_kind_is_422(client: TestClient):
    assert client.get("/entities/planet/Mars").status_code == 422


def test_search_finds_a_phrase_and_not_its_words_apart(client: TestClient):
    page = client.get("/search", params={"q": '"Indian navy"'})
    assert page.status_code == 200
    titles = html.document_fromstring(page.text).xpath("//ol[@class='listing']//h3//text()")
    assert titles and all("Greece" not in title for title in titles)
    assert any("Indian navy" in title for title in titles)


@pytest.mark.parametrize(
    ("params", "expected", "unexpected"),
    [
        ({"country": "GR"}, "Greece", "pirates"),
        ({"outlet": "in.reuters.com"}, "AirAsia", "Greece"),
        ({"person": "Costas Karamanlis"}, "Greece", "pirates"),
        ({"q": "pirates", "sort": "newest"}, "pirates", "Greece"),
    ],
)
def test_search_filters_narrow_the_results(
    client: TestClient, params: dict[str, str], expected: str, unexpected: str
):
    page = client.get("/search", params=params)
    assert page.status_code == 200
    titles = " ".join(
        html.document_fromstring(page.text).xpath("//ol[@class='listing']//h3//text()")
    )
    assert expected in titles
    assert unexpected not in titles


def test_search_by_date_range(client: TestClient):
    today = datetime.now(UTC).date()
    old = client.get("/search", params={"since": "2001-01-01", "until": "2001-12-31"})
    assert "Nothing matches" in old.text
    recent = client.get("/search", params={"since": (today - timedelta(days=1)).isoformat()})
    assert 'class="listing"' in recent.text
    backwards = client.get("/search", params={"since": "2002-01-01", "until": "2001-01-01"})
    assert backwards.status_code == 422


def test_search_pages_through_results(client: TestClient):
    first = client.get("/search", params={"sort": "newest", "per_page": 5})
    document = html.document_fromstring(first.text)
    next_link = document.xpath("//a[@rel='next']/@href")
    assert next_link and "page=2" in next_link[0] and "per_page=5" in next_link[0]
    second = html.document_fromstring(client.get(next_link[0]).text)
    first_titles = document.xpath("//ol[@class='listing']//h3//text()")
    second_titles = second.xpath("//ol[@class='listing']//h3//text()")
    assert len(first_titles) == 5 and second_titles
    assert not set(first_titles) & set(second_titles)
    assert second.xpath("//a[@rel='prev']")


def test_search_lists_stories(client: TestClient, desk_store: Store):
    page = client.get("/search", params={"q": "Greece", "kind": "stories"})
    assert page.status_code == 200
    assert f'href="/stories/{story_with(desk_store, "Greece")}"' in page.text
    assert '<strong aria-current="page">Stories</strong>' in page.text


@pytest.mark.parametrize(
    "params", [{"country": "Greece"}, {"page": "0"}, {"since": "someday"}, {"kind": "videos"}]
)
def test_search_refuses_bad_input_with_a_clear_422(client: TestClient, params: dict[str, str]):
    page = client.get("/search", params=params)
    assert page.status_code == 422
    assert next(iter(params)) in text_of(page.text)


def test_search_feed_is_atom_with_the_matches(client: TestClient):
    feed = client.get("/search.atom", params={"q": "Greece"})
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles and any("Greece" in (title or "") for title in titles)
    content = root.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text and content.text.startswith("<p>")


def test_briefings_feed_is_atom_with_one_entry_per_day(client: TestClient, desk_store: Store):
    feed = client.get("/briefings.atom")
    assert feed.status_code == 200
    root = etree.fromstring(feed.content)
    entries = list(root.iter(f"{ATOM}entry"))
    assert len(entries) == len(Editions(desk_store).archive()[:10]) >= 1


def test_stories_page_lists_every_story(client: TestClient, desk_store: Store):
    page = client.get("/stories")
    assert page.status_code == 200
    assert f'href="/stories/{story_with(desk_store, "Indian navy")}"' in page.text


def test_unknown_page_is_a_404_page(client: TestClient):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_stylesheet_is_served(client: TestClient):
    css = client.get("/static/desk.css")
    assert css.status_code == 200 and ".map path" in css.text


def test_the_app_serves_real_http_from_a_thread(desk_store: Store, settings: Settings):
    with serve_in_thread(create_app(desk_store, settings)) as base_url, httpx.Client() as http:
        pages = [http.get(f"{base_url}{path}") for path in ("/", "/stories", "/api/stories")]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert pages[2].json()["items"]
