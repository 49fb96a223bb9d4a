"""Quotes with speakers: the reference article, small texts for each case, PolNeAR dev."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.analyze.cues import CueModel, cue_model
from newsdesk.analyze.entities import find_entities
from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.analyze.quotes import cue_readings, find_quotes
from newsdesk.models import Quote

REPO = Path(__file__).resolve().parent.parent.parent
BENCHMARK = REPO / "benchmarks" / "quotes.py"
SAMPLE = 60
QUOTE_MARKS = '"\u201c\u201d'


def _quotes(text: str) -> list[Quote]:
    doc = parse(text)
    people, _organizations = find_entities(doc)
    return find_quotes(doc, people)


def _find(quotes: list[Quote], fragment: str) -> Quote:
    hits = [quote for quote in quotes if quote.text.startswith(fragment)]
    assert hits, f"no quote starting {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


@pytest.fixture(scope="module")
def reference_quotes(reference_article: Path) -> tuple[str, list[Quote]]:
    text = reference_article.read_text(encoding="utf8")
    return text, _quotes(text)


@pytest.mark.parametrize(
    ("fragment", "kind", "speaker"),
    [
        ("At a time when the Mexican government", "direct", "Barack Obama"),
        ("Something that President Calderon and myself", "direct", "Barack Obama"),
        ("a heroic job", "partial", "Barack Obama"),
        ("absolutely not", "partial", "Felipe Calderon"),
        ("insatiable demand", "partial", "Hillary Clinton"),
        ("he will push the Senate to ratify", "indirect", "Barack Obama"),
        ("he has personally been threatened", "indirect", "Felipe Calderon"),
    ],
)
def test_reference_article_quotes(
    reference_quotes: tuple[str, list[Quote]], fragment: str, kind: str, speaker: str
) -> None:
    text, quotes = reference_quotes
    quote = _find(quotes, fragment)
    assert (quote.kind, quote.speaker) == (kind, speaker)
    assert text[quote.start : quote.end] == quote.text
    assert quote.cue


def test_reference_article_titles_are_not_quotes(
    reference_quotes: tuple[str, list[Quote]],
) -> None:
    _text, quotes = reference_quotes
    assert not [quote for quote in quotes if quote.text.startswith("Today")]
    assert all(not any(mark in q.text[:1] + q.text[-1:] for mark in QUOTE_MARKS) for q in quotes)


@pytest.mark.parametrize(
    ("text", "fragment", "kind", "speaker"),
    [
        (
            'Senator Maria Lopez spoke on Monday. "We will not give up on this bill," she said.',
            "We will not give up on this bill",
            "direct",
            "Maria Lopez",
        ),
        (
            "Senator Maria Lopez spoke on Monday. \u201cWe will not give up on this bill,\u201d "
            "she said.",
            "We will not give up on this bill",
            "direct",
            "Maria Lopez",
        ),
        (
            'Prime Minister John Carter told parliament: "The plan will cut taxes for workers.'
            '\n\n"It will also create thousands of new jobs across the country."',
            "It will also create thousands",
            "direct",
            "John Carter",
        ),
        (
            'Health Minister Ana Ruiz blamed the farmers\' "reckless spending" for the crisis, '
            "saying the budget was broken.",
            "reckless spending",
            "partial",
            "Ana Ruiz",
        ),
        (
            "Exports fell by a third last year, according to the central bank.",
            "Exports fell by a third last year",
            "indirect",
            "the central bank",
        ),
        (
            "Chancellor Peter Brandt met the unions on Tuesday. He said the strike would end.",
            "the strike would end",
            "indirect",
            "Peter Brandt",
        ),
        (
            "Talks were led by Brazilian Foreign Minister Carlos Mendes. The Brazilian minister "
            "said the deal was close.",
            "the deal was close",
            "indirect",
            "Carlos Mendes",
        ),
        (
            "Governor Tom Reyes toured the port. Reyes's spokesman said the visit was "
            "\u201ca success for everyone.\u201d",
            "a success for everyone",
            "partial",
            "Reyes's spokesman",
        ),
        (
            'Senator Maria Lopez met the mayor. "Would you vote for the bill?" Lopez pressed. '
            '"Maybe next year?"',
            "Would you vote for the bill?",
            "direct",
            "Lopez",
        ),
        (
            'Mayor Ken Blake opened the bridge. "Underestimation of the costs was the problem '
            'from the start," said Blake, who took office in May.',
            "Underestimation of the costs",
            "direct",
            "Ken Blake",
        ),
        (
            "Governor Ana Ruiz visited the flooded towns on Monday and issued the following "
            'statement:\n\n"Our prayers are with all the families who lost their homes."',
            "Our prayers are with all the families",
            "direct",
            "Ana Ruiz",
        ),
        (
            "At the party convention on Saturday, Senator Elizabeth Warren (D-MA) said the "
            "nominee was a proven failure in business.",
            "the nominee was a proven failure",
            "indirect",
            "Elizabeth Warren",
        ),
        (
            '"We were wrong not to confront him from the beginning," Jorge Ramos, 58, told AFP '
            "in an interview on Monday.",
            "We were wrong not to confront him",
            "direct",
            "Jorge Ramos",
        ),
        (
            'Senator Harry Reid spoke on Sunday. "I\'m a big fan of Elizabeth Warren," Reid said.',
            "I'm a big fan of Elizabeth Warren",
            "direct",
            "Harry Reid",
        ),
        (
            "Senator Maria Lopez and her aides said on Monday that the bill would pass in May.",
            "that the bill would pass in May",
            "indirect",
            "Maria Lopez and her aides",
        ),
        (
            "The talks were led by RNC member Ada Fisher. The RNC members said the deal was close.",
            "the deal was close",
            "indirect",
            "The RNC members",
        ),
        (
            "Governor Tom Reyes toured the port. A spokesman for the governor said the road "
            "would reopen.",
            "the road would reopen",
            "indirect",
            "A spokesman for the governor",
        ),
        (
            "In Virginia, 85% of Democrats said the economic system favors the wealthy.",
            "the economic system favors the wealthy",
            "indirect",
            "85% of Democrats",
        ),
        (
            '"It is hers to lose at this point," added another New Hampshire Democrat.',
            "It is hers to lose at this point",
            "direct",
            "another New Hampshire Democrat",
        ),
        (
            "Sanders was asked by host John Dickerson whether his aim was similar to Kennedy's.",
            "whether his aim was similar",
            "indirect",
            "John Dickerson",
        ),
        (
            "Exports fell by a third last year, according to a tally by the Associated Press.",
            "Exports fell by a third last year",
            "indirect",
            "the Associated Press",
        ),
        (
            "\u201cThey were professionals, but also competitors,\u201d William M. Daley, "
            "President Obama's former chief of staff, said of their time in the administration.",
            "They were professionals",
            "direct",
            "William M. Daley",
        ),
        (
            "DES MOINES, Iowa (AP) \u2014 Senator Maria Lopez promised to cut taxes for workers.",
            "to cut taxes for workers",
            "indirect",
            "Maria Lopez",
        ),
        (
            "Marco Rubio: \u2018You Don\u2019t Win The Nomination By How Many States You "
            "Win.\u2019",
            "You Don\u2019t Win The Nomination",
            "indirect",
            "Marco Rubio",
        ),
        (
            "In a CNN/ORC poll released Monday, 31% of Republicans said they were extremely "
            "enthusiastic about voting.",
            "they were extremely enthusiastic",
            "indirect",
            "a CNN/ORC poll",
        ),
        (
            "Pastor Charles Elliott spoke at the service. Elliott said \u201cthere is no great man "
            "that has done more for this city than Muhammad Ali.\u201d",
            "there is no great man",
            "direct",
            "Charles Elliott",
        ),
        (
            "The New York Times made the same allegations against the NRA in February, and "
            'Breitbart News responded:\n\n"If there are people in this country who are believed '
            'to be so prone to terror attacks, the solution is not to punish the law-abiding."',
            "If there are people in this country",
            "direct",
            "Breitbart News",
        ),
        (
            "Senator Marco Rubio spoke on Monday. Rubio's response was that the tax code is "
            "unfair to families.",
            "that the tax code is unfair",
            "indirect",
            "Rubio's response",
        ),
        (
            "Washington did not complain when China's spending helped global growth, a Chinese "
            "official said, adding that the impact of closing factories was hard to estimate.",
            "Washington did not complain",
            "indirect",
            "a Chinese official",
        ),
        (
            "Community organiser Jamal Khalif met the candidates. Khalif said the mayor's "
            "rhetoric has been patronizing, noting her comments to a radio host in April.",
            "her comments to a radio host",
            "indirect",
            "Khalif",
        ),
        (
            "Veterans rallied outside the hall, and a group of veterans demanding that the "
            "senator resign handed out leaflets.",
            "that the senator resign",
            "indirect",
            "a group of veterans",
        ),
        (
            "Throughout the debate, Senator Ana Ruiz found ways to cast herself as the rightful "
            "heir of the governor.",
            "the rightful heir",
            "indirect",
            "Ana Ruiz",
        ),
        (
            "Republican senators bristle at the suggestion that he is to blame. It is a two-way "
            "street, they insist.",
            "It is a two-way street",
            "indirect",
            "Republican senators",
        ),
        (
            '"What does he know about it at all," wrote a Trump supporter who runs a popular '
            "account. Donald Trump did not respond.",
            "What does he know about it",
            "direct",
            "a Trump supporter",
        ),
        (
            '"Donald is an amazing leader," said the 46-year-old.',
            "Donald is an amazing leader",
            "direct",
            "the 46-year-old",
        ),
        (
            "WASHINGTON \u2015 The Obama administration announced plans Tuesday to expand "
            "programs for refugees.",
            "plans Tuesday",
            "indirect",
            "The Obama administration",
        ),
        (
            'VOTERS CARE ABOUT INSPIRATION - Frank Newport and Jim Harter: "We found that the '
            'leadership strengths matter most to voters."',
            "We found that the leadership strengths",
            "direct",
            "Jim Harter",
        ),
        (
            "Former candidate Jeb Bush broke down exactly what was wrong with the image to the "
            'Dutch newspaper NRC Handelsblad: "What Trump did was so insensitive. First, not all '
            'Hispanics are Mexican."',
            "What Trump did",
            "direct",
            "Jeb Bush",
        ),
        (
            'Senator Bernie Sanders and Hillary Clinton debated taxes.\n\n"Boeing and GE and '
            'other multinationals pay zero taxes."\n\n- Sanders.\n\nThis is mostly true.',
            "Boeing and GE",
            "direct",
            "Sanders",
        ),
        (
            "Exports fell by a third last year, according to a report in The Wall Street Journal.",
            "Exports fell by a third",
            "indirect",
            "The Wall Street Journal",
        ),
        (
            "Sanders campaign manager Jeff Weaver spoke on Monday. The Sanders campaign said the "
            "rally would go ahead.",
            "the rally would go ahead",
            "indirect",
            "The Sanders campaign",
        ),
        (
            '"We will not stand with him on this," said Mark Daley, a member of the state '
            "committee, told reporters on Monday.",
            "We will not stand with him",
            "direct",
            "Mark Daley",
        ),
        (
            "Trump: 'We are going to win so much.'",
            "We are going to win so much",
            "indirect",
            "Trump",
        ),
        (
            "In the past week, any semblance of a friendship between Donald Trump and Bill "
            "Clinton came to an ugly end as the former president and his wife's campaign found "
            "themselves in a muddy battle over sexism.\n\n''If Hillary thinks she can unleash "
            "her husband, with his terrible record, while playing the women's card on me, she's "
            "wrong!'' Mr. Trump wrote on Twitter.",
            "If Hillary thinks",
            "direct",
            "Trump",
        ),
        (
            'Senator Bernie Sanders used this question to demand wealthy Americans "pay their '
            "fair share into the system. . . . My Social Security plan would lift the cap and make "
            'those earning over $250,000 pay the same share as the middle class."\n\nHillary '
            "Clinton said she opposed lifting the cap.",
            "pay their fair share",
            "partial",
            "Bernie Sanders",
        ),
        (
            'Monte Shaw leads the Iowa Renewable Fuels Association. "It could be less about '
            'ethanol," said Jon Doggett, executive vice president of the National Corn Growers '
            'Association..\n\nShaw said that Clinton already has "clearly differentiated '
            'herself from President Obama" on the fuel standard.',
            "that Clinton already has",
            "indirect",
            "Monte Shaw",
        ),
        (
            'Donald Trump had a question for the crowd.\n\n"Who is going to pay for the wall?" '
            'he asked.\n\n"Mexico!" the audience screamed.',
            "Mexico!",
            "direct",
            "the audience",
        ),
        (
            "The source of the appeal of Mr. Reyes, union members and leaders say, is manifold.",
            "is manifold",
            "indirect",
            "union members and leaders",
        ),
        (
            "Lopez, a top aide said, \u201cis very confident in the contrast\u201d with her rival.",
            "is very confident",
            "partial",
            "a top aide",
        ),
        (
            "Hawaii, as one of the governor's climate advisers pointed out, does not usually "
            "get two storms in a row.",
            "does not usually get",
            "indirect",
            "one of the governor's climate advisers",
        ),
        (
            '"The fund is a success," said Mark Levin, a senior fellow at the Center on Budget '
            "Priorities and a former adviser to Vice President Joseph R. Biden Jr.\n\nMrs. Lopez "
            "often says she is not running for her husband's third term.",
            "she is not running",
            "indirect",
            "Lopez",
        ),
        (
            "The results will force Sen. Tom Reyes to face a hard reality -- it's time for Plan "
            "B.\n\nLopez hasn't said whether she has a strategy for changing the focus of her "
            "campaign.",
            "whether she has a strategy",
            "indirect",
            "Lopez",
        ),
        (
            "\u201cHaving access to the file and two people who understand it is valuable,\u201d "
            "said Skelly, explaining the hire.",
            "Having access to the file",
            "direct",
            "Skelly",
        ),
        (
            '"One man came in and said maybe we should leave," said the woman, who like many in '
            "the town did not want to be quoted by name.",
            "One man came in",
            "direct",
            "the woman",
        ),
        (
            "Large majorities of Republican voters in six states going to the polls on Tuesday "
            "said they support the proposal.",
            "they support the proposal",
            "indirect",
            "Large majorities of Republican voters",
        ),
        (
            "Mayor Ana Ruiz didn't seem impressed with Lopez's comments Tuesday, telling "
            "reporters, \u201cA lot of people said the governor should step down.\u201d",
            "A lot of people said",
            "direct",
            "Ana Ruiz",
        ),
        (
            "Noting that taxes have risen, Reyes promised voters a cut.",
            "that taxes have risen",
            "indirect",
            "Reyes",
        ),
        (
            "As Politico reported, the deal was close to collapse by Friday.",
            "the deal was close to collapse",
            "indirect",
            "Politico",
        ),
        (
            "Kasich jokingly offered the man a job as Secretary of Defense, then says he'll "
            "welcome advice for anyone who wants to talk to or yell at him if elected.",
            "he'll welcome advice",
            "indirect",
            "Kasich",
        ),
        (
            "Mr. Slinker, whose latest start-up, Paradata, uses big data to help brands find "
            "suppliers, said Mr. Reyes was a candidate very much in the spirit of Silicon Valley.",
            "Mr. Reyes was a candidate",
            "indirect",
            "Slinker",
        ),
        (
            "Although there is no such overlap with Lopez's team, a White House official who "
            'spoke anonymously to discuss internal strategy said Wednesday, "Certainly there '
            'are discussions between the two campaigns."',
            "Certainly there are discussions",
            "direct",
            "a White House official",
        ),
        (
            "Tuesday on WTMJ\u2019s \u201cMidday with Charlie Sykes,\u201d while discussing a "
            "controversial tweet from Tom Reyes featuring an image of Ana Ruiz, money and a star, "
            "Speaker of the House Rep. Paul Ryan (R-WI) said \u201csuch images, they\u2019ve got "
            "no place in a presidential campaign.\u201d",
            "such images, they",
            "direct",
            "Paul Ryan",
        ),
        (
            "Last week Stumpf in a televised interview appeared to blame low-level workers for "
            "this behavior.",
            "to blame low-level workers",
            "indirect",
            "Stumpf",
        ),
        (
            "\u201cIf anyone wonders why the inquiry is not complete, the problems at the agency "
            "are the reason,\u201d\u00a0added Gowdy.",
            "If anyone wonders",
            "direct",
            "Gowdy",
        ),
        (
            "\"That's not to say that other first ladies weren't devoted to their husbands, but "
            'few can match Nancy Reagan," says Myra Gutin, a first lady historian at Rider '
            "University in Lawrenceville, N.J.\n\nThe paradox of their marriage, says Carl "
            "Anthony, a historian at the First Ladies Library, is that it was so public.",
            "That's not to say",
            "direct",
            "Myra Gutin",
        ),
    ],
    ids=[
        "straight",
        "curly",
        "paragraphs",
        "possessive",
        "according-to",
        "pronoun",
        "title",
        "possessor",
        "unlearnt-verb",
        "postposed-speaker",
        "introduced",
        "no-subject",
        "addressee",
        "names-in-a-sentence",
        "joined-sources",
        "plural-description",
        "qualified-description",
        "share-of-a-group",
        "inverted-speaker",
        "passive-agent",
        "according-to-a-tally-by",
        "possessor-passed-over",
        "dateline-before-subject",
        "headline-name-colon",
        "share-in-a-poll",
        "whole-content-quoted",
        "colon-after-joined-verb",
        "copula-with-possessor",
        "aside-after-the-cue",
        "aside-in-the-reported-clause",
        "participle-of-a-noun",
        "infinitive-of-a-noun",
        "plural-pronoun",
        "name-modifying-a-noun",
        "age-as-speaker",
        "dash-is-no-cue",
        "names-heading-a-quotation",
        "name-before-colon-spoken-to",
        "signed-below",
        "report-in-a-paper",
        "description-of-a-group",
        "name-after-the-cue-misparsed",
        "headline-name-tagged-noun",
        "cue-in-another-paragraph",
        "cue-in-the-quotation-paragraph",
        "source-in-another-paragraph",
        "exclamation-is-no-title",
        "speaker-set-off-by-commas",
        "speaker-set-off-by-commas-before-a-quotation",
        "speaker-set-off-after-as",
        "name-words-stay-in-their-paragraph",
        "auxiliaries-before-the-cue",
        "name-tagged-an-adverb-after-the-cue",
        "speaker-before-an-aside-after-the-cue",
        "participle-taken-for-the-subject",
        "quotation-verb-after-a-participle",
        "participle-opening-the-sentence",
        "as-reported",
        "clause-before-the-cue-is-the-speakers",
        "clause-with-an-aside-before-the-cue",
        "relative-clause-before-the-cue",
        "name-in-a-quoted-title",
        "name-after-a-date",
        "blank-before-the-cue",
        "cue-hung-on-the-next-paragraph",
    ],
)
def test_small_texts(text: str, fragment: str, kind: str, speaker: str) -> None:
    quote = _find(_quotes(text), fragment)
    assert quote.kind == kind
    assert quote.speaker is not None and quote.speaker.endswith(speaker)


def test_speaker_set_off_by_commas_after_the_cue() -> None:
    quotes = _quotes(
        "The contrast with Reyes, said Tom Doyle and others, would be clear since Reyes has no "
        "former governors to speak for him."
    )
    assert [quote.speaker for quote in quotes if quote.cue == "said"] == ["Tom Doyle and others"]


@pytest.mark.parametrize(
    "text",
    [
        "Senator Al Gore spoke on Monday. It is unclear whether the bill will pass the Senate.",
        "Senator Al Gore spoke on Monday. It\u2019s clear that the bill will pass the Senate.",
    ],
    ids=["it-is", "its-contracted"],
)
def test_copula_is_no_cue(text: str) -> None:
    assert _quotes(text) == []


def test_subject_of_the_reported_clause_is_no_speaker() -> None:
    quote = _find(
        _quotes(
            "Senator Maria Lopez met voters. Lopez, meanwhile, who sits at zero such "
            "endorsements, said that fact speaks volumes about the race."
        ),
        "that fact speaks volumes",
    )
    assert quote.speaker is None or "fact" not in quote.speaker


def test_line_opened_by_a_name_is_its_statement() -> None:
    quotes = _quotes(
        "Governor Mary Fallin spoke to CNN on Sunday.\n\nTAPPER: Do you think Donald Trump "
        "has campaigned as a racial healer?\n\nFALLIN: I think he has tried to reach every "
        "voter in this country."
    )
    assert [(quote.text[:10], quote.speaker) for quote in quotes] == [
        ("Do you thi", "TAPPER"),
        ("I think he", "Mary Fallin"),
    ]


def test_content_ends_with_its_paragraph() -> None:
    quotes = _quotes(
        "Another pollster, Dan Woods of Clemson University, said his survey showed support "
        "holding steady.\n\n''Even after the debate, his numbers were the same as before,'' "
        "Mr. Woods said."
    )
    reported = _find(quotes, "his survey showed")
    assert "\n" not in reported.text
    assert _find(quotes, "Even after the debate").speaker == "Dan Woods"
    quotes = _quotes(
        'Mayor Ken Blake toured the port on Monday and praised the workers\n\n"We will '
        'rebuild every dock this year," said Blake, who took office in May.'
    )
    assert [quote.text for quote in quotes if quote.cue == "praised"] == ["the workers"]
    assert _find(quotes, "We will rebuild").cue == "said"


def test_that_said_reports_nothing() -> None:
    quotes = _quotes(
        "The farm bill passed in June. That said, rural voters say they expect higher prices "
        "for feed next spring."
    )
    assert [quote.cue for quote in quotes] == ["say"]
    assert _find(quotes, "they expect higher prices").speaker == "rural voters"


def test_made_it_clear_is_the_subjects_statement() -> None:
    quotes = _quotes("Many union members made it clear they did not agree with the choice.")
    assert _find(quotes, "they did not agree").speaker == "Many union members"


def test_whole_quoted_content_is_one_quote() -> None:
    quotes = _quotes(
        "Pastor Charles Elliott spoke at the service. Elliott said \u201cthere is no great man "
        "that has done more for this city than Muhammad Ali.\u201d"
    )
    assert [quote.kind for quote in quotes] == ["direct"]


def test_cue_model_is_a_logistic_regression() -> None:
    model = CueModel(bias=-1.0, threshold=0.5, weights={"lemma=say": 2.0, "precision": 1.0})
    assert model.probability({"lemma=say": 1.0, "precision": 0.5}) == pytest.approx(
        1 / (1 + math.exp(-1.5))
    )
    assert model.probability({"lemma=unseen": 1.0}) == pytest.approx(1 / (1 + math.e))


def test_cue_model_weighs_speech_above_other_readings() -> None:
    doc = parse("Officials said the bridge would open in May. Officials built the bridge in May.")
    text = doc.text
    scores = {
        reading.candidate.cue.text: cue_model().probability(reading.features)
        for reading in cue_readings(doc, text, [])
    }
    assert scores["said"] >= cue_model().threshold > scores.get("built", 0.0)


def _load_benchmark() -> ModuleType:
    """The benchmark script, for its PolNeAR conventions and its handle on the scorer."""
    spec = importlib.util.spec_from_file_location("bench_quotes", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_polnear_dev_sample(shared_data: Path) -> None:
    """Quality gate on a fixed sample of PolNeAR dev, a little under what the code reaches."""
    bench = _load_benchmark()
    scorer = bench.load_scorer()
    gold, texts = scorer.load_gold(str(shared_data / "quotes" / "polnear" / "dev"))
    names = sorted(gold)[:SAMPLE]
    predictions = {}
    for name, doc in zip(names, parse_many(texts[n] for n in names), strict=True):
        people, _organizations = find_entities(doc)
        predictions[name] = bench.to_polnear(find_quotes(doc, people), texts[name])
    result = scorer.score({n: gold[n] for n in names}, texts, predictions)
    # reached when written: all 0.662, direct 0.820, indirect 0.603, speakers 0.881
    assert result["all"]["f1"] >= 0.65
    assert result["direct"]["f1"] >= 0.80
    assert result["indirect"]["f1"] >= 0.59
    assert result["all"]["speaker_acc_lenient"] >= 0.87
