"""Accessibility basics that can be checked without a person: theme contrast (WCAG 2.2 AA),
alt text on every illustration, and the Arabic font shipped with the app."""

import re
import tomllib

from amane.settings import PACKAGE, ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


def test_theme_text_contrast_is_at_least_4_5_to_1():
    theme = CONFIG["theme"]
    pairs = {
        "text on background": (theme["textColor"], theme["backgroundColor"]),
        "text on secondary background (sidebar, inputs)": (
            theme["textColor"],
            theme["secondaryBackgroundColor"],
        ),
        "white text on primary buttons": ("#ffffff", theme["primaryColor"]),
        "primary colour (links) on background": (theme["primaryColor"], theme["backgroundColor"]),
        "primary colour on secondary background": (theme["primaryColor"], theme["secondaryBackgroundColor"]),
    }
    low = {name: round(contrast(*colours), 2) for name, colours in pairs.items() if contrast(*colours) < 4.5}
    assert low == {}


def test_every_illustration_has_alt_text_in_three_languages(real_catalogue):
    for lesson in real_catalogue.lessons.values():
        illustrations = [lesson.illustration] + [
            s.illustration for s in lesson.steps if getattr(s, "illustration", None)
        ]
        for illustration in illustrations:
            assert all(illustration.alt.get(lang).strip() for lang in ("en", "fr", "ar")), lesson.id


def test_illustrations_are_self_contained_svg_without_scripts_or_text():
    for svg in (ROOT / "assets" / "illustrations").glob("*.svg"):
        text = svg.read_text()
        assert 'role="img"' in text, svg.name
        assert not re.search(r"<script|href=\"http|xlink:href=\"http|<text", text), svg.name


def test_arabic_font_is_shipped_and_named_in_the_theme():
    faces = CONFIG["theme"]["fontFaces"]
    assert CONFIG["theme"]["font"].startswith("Noto Sans Arabic")
    assert CONFIG["server"]["enableStaticServing"] is True
    for face in faces:
        path = PACKAGE / face["url"].removeprefix("app/")
        assert path.is_file() and path.stat().st_size > 100_000
    assert (PACKAGE / "static" / "fonts" / "OFL.txt").is_file()
