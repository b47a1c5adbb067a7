"""Bounded templates still work like Jinja's own sandbox: the limits change only what would be too large."""

from __future__ import annotations

import datetime

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from briefgen.load.templates import MAX_VALUE, _sandbox_class

CONTEXT = {"items": [3, 1, 2], "d": {"b": 2, "a": 1}, "people": [{"n": "x", "g": 1}, {"n": "y", "g": 2}, {"n": "z", "g": 1}],
       "when": datetime.date(2018, 4, 1), "s": "hello world", "big": 1234567.891}
TEMPLATES = [
 "{{ items|map('string')|join(', ') }}", "{{ items|sort|list }}", "{{ items|sum }}", "{{ items|select('odd')|list }}",
 "{{ d|dictsort }}", "{% for g, ps in people|groupby('g') %}{{ g }}:{{ ps|map(attribute='n')|join }};{% endfor %}",
 "{{ people|map(attribute='n')|join('-') }}", "{{ people|join(',', attribute='n') }}", "{{ items|tojson }}", "{{ s|title|center(20) }}|",
 "{% filter upper %}abc {{ s }}{% endfilter %}", "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(1) }}{{ m('a') }}",
 "{% for i in items %}{{ loop.cycle('a','b') }}{{ loop.index }}{% endfor %}",
 "{% set ns = namespace(t=0) %}{% for i in items %}{% set ns.t = ns.t + i %}{% endfor %}{{ ns.t }}",
 "{{ '%5.2f' % 3.14159 }}|{{ '%(a)s-%(b)d' % {'a': 'x', 'b': 3} }}|{{ '%s and %s' % ('a', 'b') }}|{{ '%%' % () }}",
 "{{ '{:,}'.format(1234567) }}|{{ '{:>8.2f}'.format(big) }}|{{ '{0}{1}{0}'.format('a', 'b') }}|{{ '{x}'.format_map({'x': 5}) }}",
 "{{ when.strftime('%B %d, %Y') }}|{{ '{:%Y-%m}'.format(when) }}", "{{ s|replace('o', '0') }}|{{ s|replace('o', '0', 1) }}",
 "{{ s|wordwrap(5) }}", "{{ s|indent(2, true) }}", "{{ '%s-%s'|format('a', 'b') }}", "{{ s|truncate(9) }}", "{{ s|wordcount }}",
 "{{ items|batch(2)|list }}", "{{ items|slice(2)|list }}", "{{ 'a' ~ 1 ~ none ~ [1] }}", "{{ [1] + [2] }}|{{ 'a' + 'b' }}|{{ 2 + 3 }}",
 "{{ 2 ** 10 }}|{{ 3 * 4 }}|{{ 'ab' * 3 }}|{{ 7 % 3 }}", "{{ s.upper().ljust(15, '.') }}|{{ s.split()|join('+') }}",
 "{{ items|first }}{{ items|last }}{{ items|length }}{{ items|max }}", "{{ d.items()|list }}", "{{ s|urlencode }}", "{{ none|default('x') }}",
 "{{ lipsum(1, false, 5, 6)|length > 0|wordcount }}", "{% set x %}abc{{ s }}{% endset %}{{ x|length }}", "{{ [1,2,3]|reverse|list }}", "{{ s|e }}",
 "{{ 10|filesizeformat }}", "{{ s|list|unique|list|length }}", "{{ d|items|list }}", "{{ 3.7|round|int }}",
 "{{ s|attr('upper')() }}", "{{ people|selectattr('g', 'equalto', 1)|map(attribute='n')|list }}", "{{ (items|map('center', 3))|list }}",
 "{{ s|trim|striptags|capitalize|lower|upper }}", "{{ items|min }}{{ 'x'|string }}{{ '3'|int + 1 }}{{ '2.5'|float }}{{ -3|abs }}",
 "{{ {'a': 1}|xmlattr }}", "{{ items|pprint }}", "{{ 'see http://x.org'|urlize }}", "{{ s|count }}", "{{ s|safe }}",
 "{% autoescape true %}{{ '<b>' ~ s }}{% endautoescape %}",
 "{% set l = [] %}{% set _ = l.append(1) %}{% set _ = l.extend([2, 3]) %}{{ l }}", "{{ '\tx'.expandtabs(4) }}", "{{ 'abc'.zfill(5) }}",
]


@pytest.mark.parametrize("text", TEMPLATES)
def test_a_template_renders_as_in_jinjas_sandbox(text):
    plain = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    bounded = _sandbox_class()(undefined=jinja2.StrictUndefined)
    assert bounded.from_string(text).render(CONTEXT) == plain.from_string(text).render(CONTEXT)


# (template, how far below the limit a value is still made: 0 where the size is known exactly, a little
# where it is an upper bound, as for format specs, % conversions and indentation)
EDGES = [("{{ 'x'.ljust(%d) }}", 0), ("{{ 'x'.center(%d) }}", 0), ("{{ 'x'.zfill(%d) }}", 0),
         ("{{ 'x'|center(%d) }}", 0), ("{{ 'x' * %d }}", 0), ("{{ ('y' * %d) ~ '' }}", 0),
         ("{{ '{:>%d}'.format(1) }}", 1000), ("{{ '%%%ds' %% 'x' }}", 1000), ("{{ 'x'|indent(%d, true) }}", 1000)]


@pytest.mark.parametrize("text, slack", EDGES)
def test_a_value_up_to_the_limit_is_made_and_one_past_it_is_refused(text, slack):
    env = _sandbox_class()(undefined=jinja2.StrictUndefined)
    assert len(env.from_string(text % (MAX_VALUE - slack)).render()) >= MAX_VALUE - slack
    with pytest.raises(jinja2.exceptions.SecurityError, match="too large"):
        env.from_string(text % (MAX_VALUE + 1)).render()
