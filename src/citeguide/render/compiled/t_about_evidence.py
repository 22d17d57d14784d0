from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'about-evidence.html'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('main.html', 'about-evidence.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_title(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield 'How to read the evidence · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_description(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'What the confidence levels, the stale mark, the evidence line, the link badges and the computed figures on these guides mean.'

def block_main(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_confidence_labels = resolve('confidence_labels')
    l_0_site = resolve('site')
    l_0_link_labels = resolve('link_labels')
    l_0_quote_labels = resolve('quote_labels')
    l_0_root = resolve('root')
    try:
        t_1 = environment.filters['int']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'int' found.")
    pass
    yield '<article class="about-evidence">\n<h1>How to read the evidence</h1>\n<p class="summary">Every factual claim on this site carries its source, the day the source was read and how far the author trusts it. Every number that comes from arithmetic is computed from cited tables, and shows its working.</p>\n\n<h2 id="references">References</h2>\n<p>A reference such as <span class="legend-ref">[3]</span> follows the claim it supports. Hover, focus or tap it to see the source\'s site, the date it was read, the confidence and the link check; follow it to the claim\'s entry in the <strong>citation manifest</strong> at the end of the guide, which lists each claim once with all of its citations. The <strong>Sources</strong> list gives each source once.</p>\n\n<h2 id="confidence">Confidence</h2>\n<p>Confidence is the author\'s judgement of how well the source supports the claim, given when the claim was written. It is not a measurement. It belongs to the claim, not to the source: two claims may cite one page at different confidences, and the <strong>Sources</strong> list then says how each kind of use rated it (claims, table rows).</p>\n<dl class="legend-list">\n  <dt><span class="badge confidence-high">'
    yield escape(environment.getattr((undefined(name='confidence_labels') if l_0_confidence_labels is missing else l_0_confidence_labels), 'high'))
    yield '</span></dt>\n  <dd>A primary source states the fact: a vendor\'s price list or datasheet, the project\'s own documentation, a published measurement.</dd>\n  <dt><span class="badge confidence-medium">'
    yield escape(environment.getattr((undefined(name='confidence_labels') if l_0_confidence_labels is missing else l_0_confidence_labels), 'medium'))
    yield '</span></dt>\n  <dd>A reliable secondary source, a figure that moves often (prices), or a measurement under conditions that differ from the claim\'s.</dd>\n  <dt><span class="badge confidence-low">'
    yield escape(environment.getattr((undefined(name='confidence_labels') if l_0_confidence_labels is missing else l_0_confidence_labels), 'low'))
    yield '</span></dt>\n  <dd>An estimate, an assumption made by the source, or a single report. Treat it as an order of magnitude.</dd>\n</dl>\n\n<h2 id="stale">Stale</h2>\n<p>A citation is <span class="badge stale">stale</span> when the source was read longer ago than its confidence allows, counted back from the guide\'s last update: '
    yield escape(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'stale'), 'high'))
    yield ' days for high confidence, '
    yield escape(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'stale'), 'medium'))
    yield ' for medium and '
    yield escape(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'stale'), 'low'))
    yield ' for low. A stale citation may still be right; it has not been re-read recently enough to say so. A table row behind a computed figure or a chart is stale when any of its sources is, each judged at its own confidence; a source is stale when every use of it is.</p>\n\n<h2 id="evidence-line">The evidence line</h2>\n<p>Under each guide\'s title, <strong>Evidence</strong> counts everything the page rests on: its citations and the table rows behind its computed figures and charts. The confidence shares are over both (a row counts at its weakest source\'s confidence), followed by the estimated inputs and the stale ones. Each of them is marked where it is used: a stale or estimated row in the figure\'s tooltip and beside the row under <strong>How the numbers were computed</strong> or a chart\'s inputs.</p>\n\n<h2 id="links">Link checks</h2>\n<p>The site\'s sources are visited by a link checker, and the result of the last check is shown next to each one, with its date.</p>\n<dl class="legend-list">\n  <dt><span class="badge link-ok">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'ok'))
    yield '</span></dt><dd>The page answered.</dd>\n  <dt><span class="badge link-moved">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'moved'))
    yield '</span></dt><dd>The page answered at a new address, shown beside it.</dd>\n  <dt><span class="badge link-failing">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'failing'))
    yield '</span></dt><dd>The page answered "not found" in recent checks, but not yet on enough separate checks to be called dead; one success clears it. The original link is still shown first.</dd>\n  <dt><span class="badge link-dead">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'dead'))
    yield '</span></dt><dd>The page answered "not found" on '
    yield escape(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'linkcheck'), 'dead_after'))
    yield ' checks at least '
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'linkcheck'), 'dead_spacing_hours')))
    yield ' hours apart. An archived copy is offered first when one exists.</dd>\n  <dt><span class="badge link-soft-404">'
    yield escape(environment.getitem((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'soft-404'))
    yield '</span></dt><dd>The site answers, but with a "page not found" page.</dd>\n  <dt><span class="badge link-blocked">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'blocked'))
    yield '</span></dt><dd>The site refuses automated checks; a person can still open it.</dd>\n  <dt><span class="badge link-timeout">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'timeout'))
    yield '</span></dt><dd>The site did not answer in time.</dd>\n  <dt><span class="badge link-error">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'error'))
    yield '</span></dt><dd>The check could not reach the site (a network problem on the checker\'s side is never counted as a dead link).</dd>\n  <dt><span class="badge link-unchecked">'
    yield escape(environment.getattr((undefined(name='link_labels') if l_0_link_labels is missing else l_0_link_labels), 'unchecked'))
    yield '</span></dt><dd>Not checked yet.</dd>\n</dl>\n\n<h2 id="quotes">Quoted text</h2>\n<p>Some citations quote the words the claim relies on. The link checker looks for those words on the page, and each quote shows what it found, beside the quote in the citation manifest and in the reference\'s tooltip:</p>\n<dl class="legend-list">\n  <dt><span class="badge quote-found">'
    yield escape(environment.getattr((undefined(name='quote_labels') if l_0_quote_labels is missing else l_0_quote_labels), 'found'))
    yield '</span></dt><dd>The words were still on the page at the last check (its date follows).</dd>\n  <dt><span class="badge quote-missing">'
    yield escape(environment.getattr((undefined(name='quote_labels') if l_0_quote_labels is missing else l_0_quote_labels), 'missing'))
    yield '</span></dt><dd>The page changed: the claim needs a fresh look.</dd>\n  <dt><span class="badge quote-unchecked">'
    yield escape(environment.getattr((undefined(name='quote_labels') if l_0_quote_labels is missing else l_0_quote_labels), 'unchecked'))
    yield '</span></dt><dd>No check has looked for the words yet: the quote is what the author copied, not verified.</dd>\n</dl>\n\n<h2 id="computed">Computed figures</h2>\n<p>A figure in <span class="legend-calc">bold with a dotted underline</span> is computed, not typed. Hover, focus or tap it to see the arithmetic with units; the section <strong>How the numbers were computed</strong> lists every figure with its steps, its inputs and the dated, cited table rows they came from. A table row marked as an <span class="badge estimate">estimate</span> is the author\'s own derivation, explained in its note: the note is shown in the figure\'s tooltip, beside the row under <strong>How the numbers were computed</strong> (and under a chart\'s inputs), and in the Markdown twin\'s footnote for the figure. The day a row\'s source was read and, where it differs, the period its figures describe ("figures as of") are given beside it.</p>\n\n<h2 id="agents">For agents</h2>\n<p>Each guide has a JSON twin (<code>&lt;slug&gt;.cite.json</code>, described by <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'schemas/cite.schema.json">its JSON Schema</a>) and a Markdown twin (<code>&lt;slug&gt;.md</code>) with the same claims, citations and figures as the page; <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'llms.txt">llms.txt</a> lists them all.</p>\n</article>\n'

blocks = {'title': block_title, 'description': block_description, 'main': block_main}
debug_info = '1=12&2=17&3=29&4=39&15=59&17=61&19=63&24=65&32=71&33=73&34=75&35=77&36=83&37=85&38=87&39=89&40=91&46=93&47=95&48=97&55=99'
# Generated by `make templates` from templates/about-evidence.html: do not edit.
