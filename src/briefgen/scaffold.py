"""``briefgen new``: a starter briefing folder that shows every feature of the content format once.

The sample text is placeholder text about an invented country; it checks and
builds as written, and each file says in comments what its parts are for.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, UsageError
from .load.locate import DEFAULT_CONTENT_DIR
from .load.schema import ID_RE

BRIEFING_YAML = """\
# A new briefgen briefing. Everything here is SAMPLE TEXT about an invented
# country, "Examplia": replace it with your own. Build it with
#   briefgen build {id}
# and check it without rendering with
#   briefgen check {id}

# The briefing's title, printed on the cover and the first slide. Text fields
# may use template variables from 'vars' below: {{{{ partner }}}} prints "Examplia".
title: "Relations With {{{{ partner }}}} (sample)"
subtitle: Sample Briefing
issuer: Office of Example Affairs          # printed above the title
date: 2024-01-15                           # ISO date, YYYY-MM-DD
# marking: UNCLASSIFIED                    # a banner on every page and slide

# The sections in reading order; each is sections/<id>.md.
sections:
  - overview
  - economy
  - next-steps

# Named selections of sections: briefgen build {id} --preset short
presets:
  short: [overview, economy]

# Values for templates, used as {{{{ name }}}} in titles, key points and bodies.
vars:
  partner: Examplia
  capital: Sampleton

# Sources printed at the end of the briefing; url is optional.
sources:
  - title: "Sample source: replace with the document this briefing draws on"
    url: "https://example.org/"
"""

OVERVIEW_MD = """\
---
# Section front matter: the title, then what the key-points box, the fact
# callouts and the chart show. Only 'title' is required.
title: Overview
# The bullets of the key-points box in the PDF and of the section's slide.
key_points:
  - "{{ partner }} and the sample country share a long, peaceful border."
  - Trade between the two has grown every year this decade (sample figure).
  - Officials of both governments meet twice a year.
# Headline figures, printed as big-number callouts.
facts:
  - {value: "1,200 km", label: Length of the shared border (sample)}
  - {value: "$4.5 billion", label: Two-way trade last year (sample)}
# Speaker notes for this section's slides; without them the notes hold the prose.
notes: Sample speaker notes. Open with the border, then turn to trade.
---

This is sample text. {{ partner }}, with its capital at {{ capital }}, is an
invented country used to show what a briefing looks like. Write the section's
prose here in Markdown: **bold**, *italic*, and
[links to the web](https://example.org/) or [to another section](#economy).

The names in double braces are template variables from `vars` in
briefing.yaml. Braces meant as text go in a raw block:
{% raw %}{{ not a variable }}{% endraw %} prints as typed.
"""

ECONOMY_MD = """\
---
title: Economic Ties
key_points:
  - "Sample: trade reached $4.5 billion, led by machinery and farm goods."
  - Investment in both directions is small but rising.
# A chart drawn natively in the PDF and the deck: bar (horizontal), column,
# pie or line. Values are plain numbers, one per category in each series.
chart:
  type: column
  title: Two-way trade, sample figures
  unit: billion US$
  categories: ["2021", "2022", "2023"]
  series:
    - {name: "Exports to {{ partner }}", values: [1.6, 1.9, 2.2]}
    - {name: "Imports from {{ partner }}", values: [1.8, 2.0, 2.3]}
  source: Sample data, not real statistics
---

The figures in this section are placeholders. Replace them with the numbers
from your source, and keep the chart's values as plain numbers.

| Sector (sample) | Share of trade | Trend |
| --- | ---: | --- |
| Machinery | 40% | rising |
| Farm goods | 35% | steady |
| Services | 25% | rising |
"""

NEXT_STEPS_MD = """\
---
title: Next Steps
key_points:
  - Agree on a date for the next round of talks (sample).
---

Lists work as in any Markdown file. A bulleted list:

- Confirm the agenda with the {{ partner }} delegation.
- Circulate this briefing to the participants.
- Collect questions for the meeting.

And a numbered one:

1. Replace this sample text.
2. Run `briefgen check` to find mistakes with their file and line.
3. Run `briefgen build` to write the PDF and the deck.
"""


def new_briefing(briefing_id: str, content_dir: str | Path | None = None) -> Path:
    """Write the starter briefing ``<content_dir>/<briefing_id>``; an existing one is an error, left untouched."""
    from .importing.writer import write_folder

    if not ID_RE.match(briefing_id):
        raise UsageError(Problem(f"'{briefing_id}' is not a usable id: use lower-case letters, digits, '-' or '_', "
                                 "starting with a letter or digit"))
    content = Path(content_dir) if content_dir is not None else DEFAULT_CONTENT_DIR
    files = {
        "briefing.yaml": BRIEFING_YAML.format(id=briefing_id),
        "sections/overview.md": OVERVIEW_MD,
        "sections/economy.md": ECONOMY_MD,
        "sections/next-steps.md": NEXT_STEPS_MD,
    }
    return write_folder(files, content / briefing_id, exists="already exists; choose another id")
