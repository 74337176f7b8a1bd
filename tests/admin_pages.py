"""Submitting admin forms the way a browser does: read every field of the rendered form,
change some, post them back with the page's CSRF token."""

from html.parser import HTMLParser

from django.test import Client

from tests.conftest import sign_in


class FormFields(HTMLParser):
    """The name → value pairs a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "chosen": []}
        elif tag == "option" and self.select is not None:
            self.option = attrs
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = [""]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            name, text = self.textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_data(response):
    """{name: value or [values]} of the form on an admin page, as a browser would post it."""
    parser = FormFields()
    parser.feed(response.content.decode())
    values = {}
    for name, value in parser.fields:
        values.setdefault(name, []).append(value)
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def csrf_client(user):
    """A client that checks CSRF tokens as the live site does, logged in as `user`."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    return client


def open_form(client, url):
    """GET an admin form; returns its fields, ready to change and post back."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return form_data(response)


def post_form(client, url, data, **changes):
    """Post `data` with `changes` applied, as the browser would after editing fields."""
    return client.post(url, {**data, **changes})
