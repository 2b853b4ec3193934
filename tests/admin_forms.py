"""Read an admin page's form the way a browser submits it, so a test POSTs what a user would.

`form_data(response)` returns every successful control of the page's change form (inputs, checked boxes,
selected options, textareas) as {name: [values]}. The inlines' empty-form templates (`__prefix__`) are kept
apart: `inline_row(data, prefix, index)` clones one into a new row, as the admin's "Add another" does.
"""

from html.parser import HTMLParser

_NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


class _FormParser(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = {key: "" if value is None else value for key, value in attrs}
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form or "name" not in attrs or "disabled" in attrs:
            if tag == "option" and self._select is not None:
                self._options.append((attrs.get("value", ""), "selected" in attrs))
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in _NOT_SUBMITTED:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select, self._options = (name, "multiple" in attrs), []
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.data.setdefault(name, []).extend(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(response, form_id: str | None = None) -> dict[str, list[str]]:
    """The change form's data as the browser would POST it (the `<model>_form` form by default)."""
    if form_id is None:
        form_id = f"{response.context['opts'].model_name}_form"
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    assert parser.data, f"no form {form_id!r} on the page"
    return parser.data


def inline_prefix(response, model) -> str:
    """The form prefix the admin gave the inline of `model` on this page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no inline for {model.__name__} on the page")


def inline_row(data: dict, prefix: str, index: int) -> dict[str, list[str]]:
    """A new inline row, cloned from the page's empty-form template, at `index`."""
    template = f"{prefix}-__prefix__-"
    return {
        f"{prefix}-{index}-{name[len(template) :]}": list(values)
        for name, values in data.items()
        if name.startswith(template)
    }


def without_templates(data: dict) -> dict[str, list[str]]:
    return {name: values for name, values in data.items() if "__prefix__" not in name}
