"""`citeguide.toml`: the site's settings, every key optional, unknown keys rejected."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote, urlencode, urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from citeguide import __version__
from citeguide.rules import RULES
from citeguide.safeio import DEFAULT_MAX_BYTES
from citeguide.untrusted import is_site_path, url_problem

MAX_FILE_BYTES = 1 << 30
"""The largest `max_file_bytes`: a bigger number is no file citeguide could read."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _no_controls(pattern: re.Pattern[str]) -> AfterValidator:
    # A control character (BEL, ESC, NUL) is invalid in feed.xml and invisible on the page.
    def check(value: str) -> str:
        found = pattern.search(value)
        if found:
            raise ValueError(
                f"holds the control character U+{ord(found[0]):04X} at character "
                f"{found.start() + 1}; remove it"
            )
        return value

    return AfterValidator(check)


Line = Annotated[str, _no_controls(_CONTROL)]
"""One line of text: no control characters, no line breaks."""
Text = Annotated[str, _no_controls(_CONTROL_IN_TEXT)]
"""Text that may run over several lines (tabs and line breaks allowed)."""


class HostConfig(BaseModel):
    """Link-check overrides for one host."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    headers: dict[Line, Line] = {}
    """Extra request headers for this host (an API key, a cookie consent), sent only to
    the exact origin (scheme, host, port) of the cited URL: never to another host, port
    or scheme a redirect points at."""
    accept: list[int] = []
    """Status codes that count as fine for this host (e.g. 403 from a site that blocks bots)."""
    head: bool = False
    """Ask this host with HEAD first (a GET follows only for HTML pages); for hosts that
    prefer HEAD. Every other host gets one streamed GET per URL."""


class LinkCheckConfig(BaseModel):
    """`[linkcheck]`: how `citeguide check` treats the sites it visits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: Line = f"citeguide/{__version__} (+https://pypi.org/project/citeguide/)"
    """User-Agent sent with every request: honest, with the project URL."""
    concurrency: int = Field(default=1024, ge=1, le=4096)
    """Requests in flight across all hosts: a cap on sockets, not on politeness (that is
    `per_host`). Lowered to what the open-file limit allows (raised to its hard limit
    first when possible)."""
    per_host: int = Field(default=8, ge=1, le=256)
    """Requests in flight at once to one host."""
    min_interval: float = Field(default=0.0, ge=0, le=60)
    """Seconds between the starts of two requests to one host."""
    timeout: float = Field(default=20.0, gt=0, le=600)
    """Seconds for one whole request, the reading of the page included (`--timeout`
    overrides)."""
    connect_timeout: float = Field(default=5.0, gt=0, le=600)
    """Seconds to establish a connection."""
    retries: int = Field(default=2, ge=0, le=10)
    """Retries after a timeout, 408, 429 or 5xx, with exponential backoff and jitter."""
    retry_after_cap: float = Field(default=60.0, ge=0, le=3600)
    """Longest Retry-After honoured, in seconds."""
    dead_after: int = Field(default=3, ge=1, le=20)
    """Consecutive checks that must find a source gone (404, 410, no such host) before it
    is `dead`; until then it is `failing`. Any other answer resets the count."""
    dead_spacing_hours: float = Field(default=20.0, ge=0, le=24 * 365)
    """Hours that must pass between two findings for both to count towards `dead_after`."""
    host_wait_budget: float = Field(default=120.0, ge=0, le=3600)
    """Seconds one run waits in all on one host's Retry-After answers; past that its URLs
    are recorded `blocked` with the error `deferred` and the run finishes."""
    max_redirects: int = Field(default=10, ge=0, le=50)
    """Redirects followed before giving up."""
    max_bytes: int = Field(default=262144, ge=1024, le=MAX_FILE_BYTES)
    """Bytes of a body read at most (to spot soft 404s and bot walls)."""
    read_pages: bool = True
    """Read the first `max_bytes` of HTML pages to spot soft 404s, bot walls and titles
    (after a HEAD only for hosts set to `head = true`); false leaves every body unread
    and trusts every 200."""
    archive_endpoint: str = "https://archive.org/wayback/available"
    """Availability API asked for archived copies of dead, soft-404 and moved sources;
    empty to skip archive lookups."""
    save_endpoint: str = "https://web.archive.org/save/"
    """`check --archive` asks this endpoint (an http(s) URL with a path; the cited URL
    appended) to take a snapshot of each live source with no archived copy near its
    citation date; empty to turn saving off. Never used otherwise."""
    save_interval: float = Field(default=10.0, ge=0, le=3600)
    """Seconds between two save requests (the archive rate-limits saves)."""
    save_window_days: int = Field(default=30, ge=0, le=3650)
    """An archived copy this many days or fewer from the citation date counts as near."""
    archive_budget: float = Field(default=300.0, gt=0, le=86400)
    """Seconds one run spends on the archive in all (lookups for failing sources, and
    `--archive` saves); sources not reached are asked about on the next run."""
    probe: list[str] = [
        "https://one.one.one.one/",
        "https://dns.google/",
        "https://dns.quad9.net/",
    ]
    """Hosts nobody cites, asked before any source is checked whether the network is
    there: their names are resolved and a TCP connection opened (no request is sent).
    When none answers within 3 seconds, `check` records nothing and exits 4. Skipped
    when every cited host is a private address; empty to never probe."""
    hosts: dict[str, HostConfig] = {}
    """Per-host overrides, keyed by host name: `[linkcheck.hosts."example.org"]`."""

    @field_validator("probe")
    @classmethod
    def _probe(cls, value: list[str]) -> list[str]:
        for url in value:
            try:
                fine = bool(re.match(r"^https?://[^/\s?#@]+/?$", url)) and bool(
                    urlsplit(url).hostname
                )
                urlsplit(url).port  # noqa: B018 (raises on a malformed port)
            except ValueError:
                fine = False
            if not fine:
                raise ValueError(
                    f"{url!r}: each probe is an http(s) URL of a host, such as https://dns.google/"
                )
        return value

    @field_validator("save_endpoint")
    @classmethod
    def _save_endpoint(cls, value: str) -> str:
        # The cited URL is appended: without a path after the host it would become part of
        # the host name (`https://archive.example` + `https://...`), and after a `#` it
        # would never be sent.
        if value and (not re.match(r"^https?://[^/\s?#]+/[^\s#]*$", value)):
            raise ValueError(
                "must be empty or an http(s) URL with a path, such as https://web.archive.org/save/"
            )
        return value


class StaleBudgets(BaseModel):
    """`[stale]`: how old a citation may be, by confidence, before the page flags it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: int = Field(default=1095, ge=1, le=36500)
    """Days a high-confidence citation stays fresh."""
    medium: int = Field(default=730, ge=1, le=36500)
    """Days a medium-confidence citation stays fresh."""
    low: int = Field(default=365, ge=1, le=36500)
    """Days a low-confidence citation stays fresh."""

    def budget(self, confidence: str) -> int:
        """Days a reading at `confidence` stays fresh."""
        days: int = getattr(self, confidence)
        return days

    def too_old(self, read: date, confidence: str, counted_from: date) -> bool:
        """Read longer before `counted_from` than `confidence` allows: stale. A citation and
        each source of a table row are judged alike."""
        return (counted_from - read).days > self.budget(confidence)


class AudienceConfig(BaseModel):
    """`[audience]`: the optional "Are you a bot?" block at the foot of every page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    """Show the block. A heading that asks a question is shown only with an `endpoint` to
    answer it; without one, use a statement as the heading."""
    heading: Line = "Are you a bot?"
    """Its heading."""
    text: Text = (
        "This site is written for AI assistants first and people second. "
        "Either way, the content is identical: people and agents get the same page."
    )
    """Its text. The block always adds that content is identical for people and agents."""
    endpoint: str = ""
    """URL that receives the answer (a form POST with `audience=person|agent`): an http(s)
    URL or a path on the site (`/answer`). Empty: no form, no network request, no
    tracking."""

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        # It becomes the form's `action` on every page: `javascript:` would run on submit.
        return _link_setting(value, paths=True) if value else value


class LintConfig(BaseModel):
    """`[lint]`: editorial rules (see the rule table in the README)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    guide_max_age: int = Field(default=365, ge=1, le=36500)
    """Days after its newest update before a guide is flagged `stale-guide`."""
    rules: dict[str, Literal["error", "warning", "off"]] = {}
    """Severity per rule id, replacing the default: `{ "uncited-figure" = "error" }`."""

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(RULES))
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; rules are {', '.join(RULES)}")
        return value

    def severity(self, rule: str) -> str:
        return self.rules.get(rule, RULES[rule].severity)


def _count_name(value: str) -> str:
    # Imported here: the unit tables take about 0.1 s to load (measured with -X
    # importtime), and only a site that declares count units needs them.
    from citeguide.costcore.units import count_name_problem

    if (problem := count_name_problem(value)) is not None:
        raise ValueError(problem)
    return value


class UnitsConfig(BaseModel):
    """`[units]`: units of the site's own for models and tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: list[Annotated[str, AfterValidator(_count_name)]] = []
    """Count units of the site's own (`["seat", "node", "vCPU"]`: letters and `_`, in
    capitals too): each is its own kind of quantity, never converted into another; the
    plural (`seats`) is accepted too. A name of citeguide's own units (`hour`, `tokens`)
    or a currency code is refused."""


_ASSET = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")


def _asset_name(value: str) -> str:
    if not _ASSET.match(value):
        raise ValueError(
            f"{value!r} is not a file name under templates/assets/ (such as logo.svg or "
            "img/logo.png: letters, digits, dots, hyphens, no `..`)"
        )
    return value


AssetName = Annotated[str, AfterValidator(_asset_name)]


class NavLink(BaseModel):
    """One link of the header's navigation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Line = Field(min_length=1, max_length=80)
    """The link's text."""
    url: str = Field(min_length=1)
    """An http(s) URL, or a path: relative to the site's root (`about/`) or from the
    host's root (`/shop/`)."""

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str) -> str:
        # An href in every page's header: the link rule for a URL (docs/security.md), the
        # same characters refused in a path, and never `//host`.
        scheme = urlsplit(value).scheme if ":" in value.split("/")[0] else ""
        path = value if value.startswith("/") else "/" + value
        if url_problem(value) if scheme else not is_site_path(path):
            raise ValueError(
                'must be an http(s) URL or a path such as about/ (no spaces, <, >, " or \\)'
            )
        return value

    def href(self, root: str) -> str:
        """The link from a page whose way back to the site's root is `root` (`../`)."""
        if self.url.startswith("/") or urlsplit(self.url).scheme:
            return self.url
        return root + self.url


class ThemeConfig(BaseModel):
    """`[theme]`: the default theme's settings, as MkDocs names them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    logo: str = ""
    """A file under `templates/assets/` shown before the site's title in the header
    (`logo.svg`); empty: none."""
    extra_css: list[AssetName] = []
    """Style sheets under `templates/assets/`, loaded after the theme's own."""
    nav: list[NavLink] = []
    """Links added to the header's navigation: `[{ title = "About", url = "about/" }]`."""

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str) -> str:
        return _asset_name(value) if value else value


class SiteConfig(BaseModel):
    """Settings of one site root, read from `citeguide.toml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Line = Field(default="citeguide", min_length=1)
    """Site title, shown in the header, the index and feeds (one line, no control
    characters)."""
    description: Text = "Decision guides where every claim is cited and every number computed."
    """One sentence about the site, for the index page and llms.txt."""
    base_url: str = "/"
    """Absolute URL the site is published at (`https://guides.example.org/`); canonical
    URLs and twin URLs are built from it. The default `/` gives root-relative URLs."""
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of the content (BCP 47), for `<html lang>` and feeds."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """ISO 4217 code of the site's currency: what `money` means in a model's units when
    the model names no currency of its own."""
    units: UnitsConfig = UnitsConfig()
    """Units of the site's own (`[units] count = ["seat"]`)."""
    search: bool = True
    """Index the built site with pagefind and show a search box on the index page."""
    stale: StaleBudgets = StaleBudgets()
    """Per-confidence age budgets for citations, counted back from the guide's update."""
    audience: AudienceConfig = AudienceConfig()
    """The optional audience block."""
    lint: LintConfig = LintConfig()
    """Editorial rules of `citeguide lint` (also run by `build`)."""
    linkcheck: LinkCheckConfig = LinkCheckConfig()
    """Settings of `citeguide check`."""
    repo_url: str = ""
    """Web address of the site's source repository (`https://github.com/org/guides`), as
    MkDocs names it; with it each guide links "Edit this page" and "Report an error"."""
    edit_uri: str = ""
    """Path from `repo_url` to the editor of the site root's files, as MkDocs names it:
    `edit/main/` on GitHub (the default there), `-/edit/main/` on GitLab (its default).
    The guide's path (`content/guides/x.md`) is appended. Empty elsewhere: no edit link."""
    theme: ThemeConfig = ThemeConfig()
    """Logo, extra style sheets and header links of the default theme."""
    max_file_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1024, le=MAX_FILE_BYTES)
    """Largest input file citeguide reads (guides, tables, templates, assets, the link-state
    file), at most 1 GiB; a bigger one, a FIFO or a device is an error, never a hang."""

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        # Imported here: the unit tables take about 0.1 s to load (measured with
        # -X importtime), and only a site that sets `currency` needs them.
        from citeguide.costcore.units import CURRENCIES

        if value not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        try:
            Locale.parse(value, sep="-")
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"{value!r} is not a language babel knows (try en or en-GB)") from None
        return value

    @property
    def locale(self) -> str:
        """The language as babel names it (`en_GB`), for number and currency formats."""
        return str(Locale.parse(self.language, sep="-"))

    @field_validator("repo_url")
    @classmethod
    def _repo_url(cls, value: str) -> str:
        return _link_setting(value, paths=False).rstrip("/") if value else value

    @field_validator("edit_uri")
    @classmethod
    def _edit_uri(cls, value: str) -> str:
        if value and (re.search(r"\s", value) or "://" in value or value.startswith("/")):
            raise ValueError("must be a path relative to repo_url, such as edit/main/")
        return value if not value or value.endswith("/") else value + "/"

    def edit_url(self, path: str) -> str | None:
        """Where to edit the file at `path` (relative to the site root), if known."""
        if not self.repo_url:
            return None
        host = urlsplit(self.repo_url).hostname or ""
        uri = self.edit_uri or {"github.com": "edit/main/", "gitlab.com": "-/edit/main/"}.get(
            host, ""
        )
        return f"{self.repo_url}/{uri}{quote(path)}" if uri else None

    def report_url(self, title: str, page: str) -> str | None:
        """A new-issue form on GitHub or GitLab, titled after the page, if the repo is there."""
        host = urlsplit(self.repo_url).hostname or ""
        body = f"Page: {page}\n\nWhat is wrong, and where (quote the sentence):\n"
        if host == "github.com":
            query = urlencode({"title": f"Error in: {title}", "body": body})
            return f"{self.repo_url}/issues/new?{query}"
        if host == "gitlab.com":
            query = urlencode({"issue[title]": f"Error in: {title}", "issue[description]": body})
            return f"{self.repo_url}/-/issues/new?{query}"
        return None

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        value = _link_setting(value, paths=True)
        return value if value.endswith("/") else value + "/"


def _link_setting(value: str, *, paths: bool) -> str:
    """`value` when it may become a link (an http(s) URL, or with `paths` a path on the
    site such as `/answer`); else the reason, as a ValueError."""
    if paths and is_site_path(value):
        return value
    problem = url_problem(value)
    if problem is None:
        return value
    if problem.kind == "scheme":
        raise ValueError(
            "must be an absolute http(s) URL or start with /"
            if paths
            else "must be an http:// or https:// URL"
        )
    raise ValueError(f"the URL {problem.message}; {problem.hint}")
