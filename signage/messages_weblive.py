"""Korean and English texts of the web app's live page (/live), its JSON API and the notice styles."""

MESSAGES: dict[str, tuple[str, str]] = {
    # the player's message styles
    "live_bad_style": (
        "안내 방식 {value}은(는) 없습니다 — 쓸 수 있는 방식: {styles}",
        "there is no message style {value}; styles: {styles}",
    ),
}
