"""The sandboxed template engine for letters, and the check that refuses a dangerous template when it is saved.

Two walls, either of which stops a template reaching data it should not (issue 15, finding 5):

1. The context is plain values from a presenter (presenters.py): there is no model to walk from.
2. The engine has its own vocabulary (template_library.py: `if`, `comment` and a few formatting
   filters); no `load`, `include`, `extends` or `ssi`, no template loaders, and `check_template`
   refuses any variable name the letter kind does not list.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, TextNode, TokenType, Variable, VariableNode
from django.template.defaulttags import CommentNode, IfNode, TemplateLiteral

from .presenters import KINDS
from .template_library import ALLOWED_FILTERS, ALLOWED_TAGS

TAG_PARTS = {"if": {"if", "elif", "else", "endif"}, "comment": {"comment", "endcomment"}}
ALLOWED_BLOCKS = set().union(*(TAG_PARTS[tag] for tag in ALLOWED_TAGS))
REACHING_OUT = {"load", "include", "extends", "ssi", "block", "url", "debug", "templatetag", "now", "csrf_token"}


class _LetterEngine(Engine):
    default_builtins = []  # not Django's tags and filters: only template_library's


ENGINE = _LetterEngine(builtins=["sendhub.letters.template_library"], libraries={}, loaders=[], autoescape=False)


def _names_in(expression: FilterExpression) -> list[str]:
    """Every variable an expression reads: its own and those given to its filters as arguments."""
    names = []
    variables = [expression.var] + [arg for _, args in expression.filters for lookup, arg in args if lookup]
    for variable in variables:
        if isinstance(variable, Variable) and variable.lookups is not None:
            names.append(".".join(variable.lookups))
    return names


def _condition_names(condition) -> list[str]:
    if condition is None:
        return []
    if isinstance(condition, TemplateLiteral):
        return _names_in(condition.value)
    return _condition_names(getattr(condition, "first", None)) + _condition_names(getattr(condition, "second", None))


def _walk(nodelist, names: list[str], problems: list[str]) -> None:
    for node in nodelist:
        if isinstance(node, VariableNode):
            names.extend(_names_in(node.filter_expression))
        elif isinstance(node, IfNode):
            for condition, body in node.conditions_nodelists:
                names.extend(_condition_names(condition))
                _walk(body, names, problems)
        elif isinstance(node, (TextNode, CommentNode)):
            continue
        else:
            problems.append(f"“{type(node).__name__}” cannot be used in a letter template")


def template_problems(key: str, body: str) -> list[str]:
    """Plain-English reasons a letter template of kind `key` cannot be used; empty when it is fine."""
    kind = KINDS.get(key)
    if kind is None:
        return [f"sendhub does not write a letter called “{key}”"]
    problems = []
    for token in Lexer(body).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        tag = (token.split_contents() or [""])[0]
        if tag in REACHING_OUT:
            problems.append(f"Line {token.lineno}: {{% {tag} %}} is not allowed in a letter template: it could "
                            "reach other templates, code or data")
        elif tag not in ALLOWED_BLOCKS:
            problems.append(f"Line {token.lineno}: {{% {tag} %}} is not allowed in a letter template; you can use "
                            "{% if %} … {% elif %} … {% else %} … {% endif %} and {% comment %}")
    if problems:
        return problems
    try:
        template = ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        message = str(error)
        if message.startswith("Invalid filter"):
            message += f". The filters you can use are: {', '.join(ALLOWED_FILTERS)}"
        return [f"The template has a mistake: {message}"]
    names: list[str] = []
    _walk(template.nodelist, names, problems)
    for name in dict.fromkeys(names):
        if name not in kind.variables:
            problems.append(f"{{{{ {name} }}}} is not something this letter can use. You can use: "
                            + ", ".join(kind.variables))
    return problems


def check_template(key: str, body: str) -> None:
    problems = template_problems(key, body)
    if problems:
        raise ValidationError({"body": problems})


def render(key: str, body: str, context: dict) -> str:
    """Render a checked template against a presenter's plain values; a template that fails the check is refused."""
    problems = template_problems(key, body)
    if problems:
        raise ValidationError(f"The council's “{key}” letter template cannot be used: {problems[0]} "
                              "Correct it in the support admin site.")
    return ENGINE.from_string(body).render(Context(context, autoescape=False))
