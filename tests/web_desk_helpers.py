"""Test helpers for the playlists, promos and readiness pages: a page's form as a browser would send it."""

from __future__ import annotations

from html.parser import HTMLParser


def form_fields(html: str, form_id: str) -> dict:
    """The values the form ``form_id`` would submit now (hidden, text, checked boxes, selected options)."""
    out: dict = {}

    class Parser(HTMLParser):
        inside = False
        select = None
        first_option = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form" and a.get("id") == form_id:
                self.inside = True
            if not self.inside:
                return
            if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        out[a["name"]] = a.get("value", "on")
                else:
                    out[a["name"]] = a.get("value") or ""
            elif tag == "select":
                self.select, self.first_option = a.get("name"), True
            elif tag == "option" and self.select:
                if "selected" in a or self.first_option:
                    out[self.select] = a.get("value", "")
                self.first_option = False

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None

    Parser().feed(html)
    return out
