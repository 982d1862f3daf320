"""Numbers and counted nouns in the reader's language: the one place every renderer formats them.

French and German follow CLDR through babel (decimal comma; thousands grouped by a narrow no-break space in French, a
dot in German; the plural categories, so "1 jeu de données" but "2 jeux de données"). English keeps the exact format
its reports always had (Python's `g` and `,` formats, "one" only for 1), so English runs never load babel's locale
data. Machine formats (JSON, SARIF, JUnit, EARL) never come here: their numbers stay dot-decimal.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ldt_conform.render.labels import COUNTS


def number(value: float | int, lang: str = "en", *, grouped: bool = False) -> str:
    """348.92 → "348,92" (fr, de); 12345 → "12 345" (fr, narrow no-break space), "12.345" (de).

    English keeps the format its reports always had: an int bare ("4705 errors"), or grouped with commas when
    `grouped` (where they always grouped: triples, sizes, finding totals); a float in Python's `g` format. French and
    German always group, as CLDR does.
    """
    if lang == "en":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}" if grouped else str(value)
        return f"{value:g}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang))


def signed(value: float | int, lang: str = "en") -> str:
    """A change with its sign: +37.38 (en), +37,38 (fr, de), -5, +0; the digits as number() writes them."""
    return ("-" if value < 0 else "+") + number(abs(value), lang)


def percent(ratio: float, lang: str = "en") -> str:
    """0.383 → "38.3%" (en), "38,3 %" (fr and de: CLDR puts a no-break space, U+00A0, before the sign)."""
    if lang == "en":
        return f"{ratio * 100:.1f}%"
    from babel.numbers import format_percent

    locale = _locale(lang)
    # The language's own pattern ("#,##0 %" in French) with one decimal.
    pattern = str(locale.percent_formats[None].pattern).replace("#,##0", "#,##0.0", 1)
    return format_percent(ratio, format=pattern, locale=locale)


def plural_category(n: float | int, lang: str = "en") -> str:
    """The CLDR plural category of `n` in `lang`: "one" or "other" for the shipped languages."""
    if lang == "en":
        return "one" if n == 1 else "other"
    return str(_locale(lang).plural_form(n))


def count(key: str, n: float | int, lang: str = "en", *, grouped: bool = False, **values: Any) -> str:
    """"1 jeu de données", "2 Datensätze", "3 errors": `n` formatted by number() with the words in the right form.

    The forms are labels.COUNTS[lang][key] ({"one": ..., "other": ...}, English as the fallback); `values` fill the
    phrase's other placeholders. `grouped` as in number() (English only)."""
    forms = COUNTS.get(lang, {}).get(key) or COUNTS["en"].get(key) or {"other": "{n} " + key}
    template = forms.get(plural_category(n, lang), forms["other"])
    return template.format(n=number(n, lang, grouped=grouped), **values)


@lru_cache(maxsize=8)
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)
