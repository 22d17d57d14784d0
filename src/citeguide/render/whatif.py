"""`site/whatif.json`: the models the site's guides use, for the pages' what-if forms.

One file for the whole site (pages stay small; the browser fetches it once, when a page
has a form), holding the same expression trees as the twins' `models` (the models the
published guides' figures and charts use, with those they call), the tables they read,
the site's currency and the locale data the formatting rules use. A model no guide uses
(the bundled LLM pack's, on a site about heat pumps) is not in it.
"""

from __future__ import annotations

import json

from citeguide.config import SiteConfig
from citeguide.costcore.export import exported
from citeguide.costcore.format import locale_data
from citeguide.costcore.library import Library
from citeguide.costcore.units import CURRENCIES

WHATIF_FILE = "whatif.json"


def _currencies(data: dict[str, object], config: SiteConfig) -> set[str]:
    """Every ISO code the data names (in units, currency columns, rates) and the site's."""
    found = {config.currency}
    text = json.dumps(data)
    for code in CURRENCIES:
        if f'"{code}' in text or f"{code}/" in text:
            found.add(code)
    return found


def whatif_json(library: Library, config: SiteConfig, used: list[str]) -> bytes:
    """The models `used` (and the models they call) with the tables they read."""
    models, tables = exported(library, sorted(name for name in used if name in library.models))
    data: dict[str, object] = {"currency": config.currency, "models": models, "tables": tables}
    data["locale"] = locale_data(config.locale, _currencies(data, config))
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    ).encode()
