"""Layout rules on small pages: captions put back among the paragraphs, header text taken out."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement, fromstring

from newsdesk.extract import extract_html
from newsdesk.extract.body import Block
from newsdesk.extract.layout import drop_header_lead, place_captions

_PARAGRAPHS = [
    f"{n}. Government forces and rebels clashed again on Tuesday in the north of the country, "
    "officials said, as talks on a ceasefire stalled for another week."
    for n in range(1, 5)
]
_CAPTION = "Residents flee the town of Kidal on Monday."
_PHOTO = "<img src='/media/kidal.jpg'>"


def _tree(article: str, aside: str = "") -> HtmlElement:
    return fromstring(f"<html><body><article>{article}</article>{aside}</body></html>")


def _story(figure: str, at: int) -> str:
    """The four paragraphs with the figure set before paragraph `at` (4: after the last)."""
    html = [f"<p>{text}</p>" for text in _PARAGRAPHS]
    html.insert(at, figure)
    return "".join(html)


def _figure(media: str) -> str:
    return f"<figure>{media}<figcaption>{_CAPTION}</figcaption></figure>"


def test_caption_follows_the_paragraph_before_its_figure_without_its_credit() -> None:
    figure = (
        f"<figure>{_PHOTO}<figcaption><span>{_CAPTION}</span>"
        "<span class='credit'>Jane Roe/Reuters</span></figcaption></figure>"
    )
    placed = place_captions(_tree(_story(figure, 2)), _PARAGRAPHS)
    assert placed == [*_PARAGRAPHS[:2], _CAPTION, *_PARAGRAPHS[2:]]


def test_caption_above_the_lead_follows_the_lead() -> None:
    placed = place_captions(_tree(_story(_figure(_PHOTO), 0)), _PARAGRAPHS)
    assert placed == [_PARAGRAPHS[0], _CAPTION, *_PARAGRAPHS[1:]]


@pytest.mark.parametrize(
    ("figure", "at", "aside"),
    [
        # a video's caption titles the clip
        (_figure("<iframe src='/player'></iframe>"), 2, ""),
        # an image linking to another page is a teaser for it
        (_figure(f"<a href='/kidal'>{_PHOTO}</a>"), 2, ""),
        # under the story: a gallery or a teaser, not part of the text
        (_figure(_PHOTO), 4, ""),
        # beside the article, outside the element that holds its paragraphs
        ("", 2, f"<div>{_figure(_PHOTO)}</div>"),
    ],
)
def test_captions_that_illustrate_nothing_in_the_text_stay_out(
    figure: str, at: int, aside: str
) -> None:
    assert place_captions(_tree(_story(figure, at), aside), _PARAGRAPHS) == _PARAGRAPHS


def test_an_image_linking_to_its_larger_self_keeps_its_caption() -> None:
    figure = _figure(f"<a href='/media/kidal-large.jpg'>{_PHOTO}</a>")
    assert _CAPTION in place_captions(_tree(_story(figure, 2)), _PARAGRAPHS)


_HEADER = "<header><h1>Rebels clash</h1><p>Talks stalled again.</p><p>By Jane Roe</p></header>"


def test_header_text_atop_the_body_goes_but_its_byline_stays() -> None:
    blocks = [
        Block("Rebels clash", heading=True),
        Block("Talks stalled again."),
        Block("By Jane Roe"),
    ]
    story = [Block(text) for text in _PARAGRAPHS]
    kept = drop_header_lead(_tree(_HEADER + _story("", 0)), blocks + story)
    assert kept == [Block("By Jane Roe"), *story]


def test_a_header_holding_the_whole_story_is_kept() -> None:
    header = f"<header>{_story('', 0)}</header><p>Filed at noon.</p>"
    blocks = [Block(text) for text in [*_PARAGRAPHS, "Filed at noon."]]
    assert drop_header_lead(_tree(header), blocks) == blocks


def test_page_with_a_dek_in_its_header_and_a_captioned_photo() -> None:
    page = (
        "<html><head><title>Rebels clash</title></head><body><article>"
        f"{_HEADER}{_story(_figure(_PHOTO), 2)}</article></body></html>"
    )
    article = extract_html(page)
    assert article.body.split("\n\n") == [*_PARAGRAPHS[:2], _CAPTION, *_PARAGRAPHS[2:]]
    assert article.authors == ["Jane Roe"]
