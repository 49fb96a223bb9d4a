"""Amounts: money, percentages and other measured quantities, with their values.

spaCy's MONEY, PERCENT and QUANTITY entities say where amounts are, but not always all of
them: in "£5m" the model tags only "5", and "5 million euros" is CARDINAL. So each entity
(and each CARDINAL) is widened to the currency sign before it and the scale, currency or
percent word after it, and the words then decide the kind: a percent sign or word makes a
percentage, a currency a sum of money (`unit` is its ISO 4217 code; cents and pence are
hundredths), a QUANTITY entity a measure with its unit word ("300 km" → 300, "km"). An
earthquake's "magnitude 6.1" or "6.1-magnitude" is a quantity in unit "magnitude".
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from newsdesk.analyze.numbers import is_number_word, parse_number
from newsdesk.models import Amount

__all__ = ["find_amounts"]

_MONEY, _PERCENT, _QUANTITY = "money", "percent", "quantity"
_CANDIDATES = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "nz$": "NZD",
    "r$": "BRL",
    "rs": "INR",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
}
_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "peso": "MXN",
    "pesos": "MXN",
    "rupee": "INR",
    "rupees": "INR",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "franc": "CHF",
    "francs": "CHF",
    "won": "KRW",
    "rand": "ZAR",
    "naira": "NGN",
    "shekel": "ILS",
    "shekels": "ILS",
    "lira": "TRY",
    "reais": "BRL",
    "cents": "USD",
    "cent": "USD",
    "pence": "GBP",
    "p": "GBP",
}
_HUNDREDTHS = frozenset({"cents", "cent", "pence", "p"})
_PERCENT_WORDS = frozenset({"%", "percent", "pc", "per", "cent", "percentage", "points", "point"})
_SCALE_WORDS = frozenset({"m", "bn", "mn", "k", "tn", "million", "billion", "trillion"})
_MAGNITUDE = "magnitude"


def find_amounts(doc: Doc) -> list[Amount]:
    """Every sum of money, percentage and measured quantity in the article.

    Args:
        doc: the parsed article body.

    Returns:
        One amount per expression, in text order; `value` is the number as written
        (1.2e9 for "$1.2 billion", 5.0 for "5%").
    """
    found = []
    for ent in doc.ents:
        if ent.label_ in _CANDIDATES:
            span = _widened(ent)
            amount = _amount(span, ent.label_)
            if amount is not None:
                found.append((span.start, amount))
    found.extend(_magnitudes(doc))
    return [amount for _, amount in sorted(found, key=lambda pair: pair[0])]


def _widened(ent: Span) -> Span:
    """The entity with a currency sign before it and scale, currency or percent words after."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start > 0 and doc[start - 1].lower_ in _SYMBOLS:
        start -= 1
    while end < len(doc) and _trails(doc, end):
        end += 1
    return doc[start:end]


def _trails(doc: Doc, i: int) -> bool:
    """True when token i continues an amount: "m", "euros", "%", "per cent"."""
    word = doc[i].lower_
    if word == "per":
        return i + 1 < len(doc) and doc[i + 1].lower_ == "cent"
    return word in _SCALE_WORDS or word in _CURRENCY_WORDS or word in _PERCENT_WORDS


def _amount(span: Span, label: str) -> Amount | None:
    """The amount a widened entity gives, or None when it is a plain number."""
    tokens = [t for t in span if t.lower_ not in _SYMBOLS]
    count = next((i for i, t in enumerate(tokens) if not is_number_word(t.text)), len(tokens))
    number = parse_number([t.text for t in tokens[:count]])
    if number is None:
        return None
    rest = [t.lower_ for t in tokens[count:] if t.text != "-"]
    text = span.text
    if any(word in ("%", "percent", "pc", "cent") for word in rest):
        return Amount(text, number.value, "%", _PERCENT)
    currency = _currency(span)
    if currency is not None:
        hundredths = any(word in _HUNDREDTHS for word in rest)
        return Amount(text, number.value / 100 if hundredths else number.value, currency, _MONEY)
    if label == "MONEY":
        return Amount(text, number.value, None, _MONEY)
    if label == "QUANTITY" and rest:
        return Amount(text, number.value, " ".join(rest), _QUANTITY)
    return None


def _currency(span: Span) -> str | None:
    """The ISO 4217 code of the first currency sign or word in the span, if any."""
    for token in span:
        code = _SYMBOLS.get(token.lower_) or _CURRENCY_WORDS.get(token.lower_)
        if code is not None:
            return code
    return None


def _magnitudes(doc: Doc) -> list[tuple[int, Amount]]:
    """ "magnitude 6.1", "a magnitude of 5.6" (the model tags only the figure, if that)."""
    found = []
    for token in doc[:-1]:
        if token.lower_ != _MAGNITUDE:
            continue
        figure = doc[token.i + 1]
        if figure.lower_ == "of" and token.i + 2 < len(doc):
            figure = doc[token.i + 2]
        number = parse_number([figure.text]) if figure.like_num else None
        if number is not None and figure.ent_type_ != "QUANTITY":
            text = doc[token.i : figure.i + 1].text
            found.append((token.i, Amount(text, number.value, _MAGNITUDE, _QUANTITY)))
    return found
