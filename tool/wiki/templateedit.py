"""Change fields of an event page's template in place, leaving every other byte of the page as it was.

The settings form (issue #10, item 2) saves an edit of the template only: the description, the
participants and any comment or field it does not show stay exactly as the organizers wrote them.
Only the fields whose value changed are touched, and each keeps the spacing around its value, so
the wiki's diff shows just those lines. A field the template does not have yet is added after its
last one, aligned as the template aligns its names.
"""

from __future__ import annotations

from collections.abc import Mapping

import mwparserfromhell
from mwparserfromhell.nodes import Template
from mwparserfromhell.nodes.extras import Parameter

from tool.wiki import wikitext as markup
from tool.wiki.eventpage import DEFAULT_TEMPLATES, Templates
from tool.wiki.siteinfo import key


class TemplateNotEditable(Exception):
    """The page has no template of the event, or one the tool cannot rewrite safely (unclosed, or
    too large to read as a whole): the organizer edits it on the wiki."""


def template_span(text: str, templates: Templates = DEFAULT_TEMPLATES) -> tuple[int, int]:
    """Where the event's template is in ``text``: the offsets of its ``{{`` and just past its ``}}``.

    Found as the parser finds it (the first use, comments and nowiki hidden), so the template
    edited is the one the tool reads.
    """
    visible = markup.blank_hidden(text)
    starts = markup.template_starts(visible, {key(templates.event)})
    if not starts:
        raise TemplateNotEditable("no template")
    end = markup.template_end(visible, starts[0])
    if end is None:
        raise TemplateNotEditable("unclosed template")
    return starts[0], end


def with_fields(text: str, changes: Mapping[str, str], templates: Templates = DEFAULT_TEMPLATES) -> str:
    """``text`` with each field of ``changes`` (name → new value, as written) set in the template."""
    if not changes:
        return text
    start, end = template_span(text, templates)
    source = text[start:end]
    template = _template(source)
    for name, value in changes.items():
        param = _last(template, name)
        if param is not None:
            param.value = _respaced(str(param.value), value)
        elif value:
            _add(template, name, value)
    return text[:start] + str(template) + text[end:]


def _template(source: str) -> Template:
    if not markup.Budget().allows(source):
        raise TemplateNotEditable("template too large")
    found = mwparserfromhell.parse(source).filter_templates(recursive=False)
    if len(found) != 1 or str(found[0]) != source:
        raise TemplateNotEditable("template not read as one")
    template: Template = found[0]
    return template


def _last(template: Template, name: str) -> Parameter | None:
    """The field's parameter: the last of that name, the one MediaWiki and the parser use."""
    found = None
    for param in template.params:
        if param.showkey and key(str(param.name)).replace(" ", "_") == name:
            found = param
    return found


def _respaced(old: str, value: str) -> str:
    """``value`` with the spaces and line break that were around the old value."""
    if not old.strip():
        newline = old.find("\n")
        lead, trail = (old[:newline], old[newline:]) if newline >= 0 else (old, "")
    else:
        lead, trail = _leading(old), _trailing(old)
    return lead + value + trail


def _add(template: Template, name: str, value: str) -> None:
    """A new field after the last one, spaced as the template's fields are: on a line of its own,
    its name aligned with the first field's, when the template has a field a line."""
    params = template.params
    if not params or "\n" not in str(params[-1].value):
        template.add(name, value, preserve_spacing=False)
        return
    first, last = params[0], params[-1]
    before_bar = _trailing(str(params[-2].value) if len(params) > 1 else str(last.value))
    before_end = _trailing(str(last.value))
    last.value = str(last.value).rstrip() + before_bar
    name_lead = _leading(str(first.name))
    # " name         " → the names' column (12); unaligned names ("name") get none.
    aligned = str(first.name).lstrip()
    width = len(aligned) - 1 if aligned.endswith(" ") else 0
    spaced_name = name_lead + name.ljust(width) + (" " if aligned.endswith(" ") else "")
    template.add(spaced_name, _leading(str(first.value)) + value + before_end, preserve_spacing=False)


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :]
