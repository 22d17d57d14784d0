from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'guide.html'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('main.html', 'guide.html')
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
    l_0_guide = resolve('guide')
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'title'))
    yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_description(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_guide = resolve('guide')
    pass
    yield escape((environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'summary') or environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'summary')))

def block_social(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_guide = resolve('guide')
    l_0_canonical = resolve('canonical')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    pass
    yield '<meta property="og:type" content="article">\n<meta property="og:title" content="'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'title'))
    yield '">\n<meta property="og:description" content="'
    yield escape((environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'summary') or environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'summary')))
    yield '">\n<meta property="og:url" content="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n<meta property="og:locale" content="'
    yield escape(t_1(context.eval_ctx, environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'), '-', '_'))
    yield '">\n<meta property="article:published_time" content="'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'published'))
    yield '">\n<meta property="article:modified_time" content="'
    yield escape(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'updated'))
    yield '">\n'
    for l_1_author in environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'authors'):
        _loop_vars = {}
        pass
        yield '<meta property="article:author" content="'
        yield escape((environment.getattr(l_1_author, 'url') or environment.getattr(l_1_author, 'name')))
        yield '">\n'
    l_1_author = missing
    for l_1_tag in environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'tags'):
        _loop_vars = {}
        pass
        yield '<meta property="article:tag" content="'
        yield escape(l_1_tag)
        yield '">\n'
    l_1_tag = missing
    yield '<meta name="twitter:card" content="summary">\n<meta name="twitter:title" content="'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'title'))
    yield '">\n<meta name="twitter:description" content="'
    yield escape((environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'summary') or environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'summary')))
    yield '">\n'

def block_head(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_twin_href = resolve('twin_href')
    l_0_markdown_href = resolve('markdown_href')
    pass
    yield '<link rel="alternate" type="application/json" href="'
    yield escape((undefined(name='twin_href') if l_0_twin_href is missing else l_0_twin_href))
    yield '" title="JSON twin (citation manifest)">\n<link rel="alternate" type="text/markdown" href="'
    yield escape((undefined(name='markdown_href') if l_0_markdown_href is missing else l_0_markdown_href))
    yield '" title="Markdown twin">\n'

def block_scripts_extra(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_guide = resolve('guide')
    l_0_root = resolve('root')
    try:
        t_2 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_3 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    if (environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'calculations') or t_2(context.eval_ctx, t_3(context, environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'charts'), 'form'))):
        pass
        yield '<script defer src="'
        yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
        yield 'assets/whatif.js" data-whatif="'
        yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
        yield 'whatif.json"></script>'

def block_main(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_guide = resolve('guide')
    l_0_reading_minutes = resolve('reading_minutes')
    l_0_twin_href = resolve('twin_href')
    l_0_markdown_href = resolve('markdown_href')
    l_0_evidence = resolve('evidence')
    l_0_root = resolve('root')
    l_0_toc = resolve('toc')
    l_0_body = resolve('body')
    l_0_manifest = resolve('manifest')
    l_0_twin_url = resolve('twin_url')
    l_0_updates = resolve('updates')
    l_0_edit_url = resolve('edit_url')
    l_0_report_url = resolve('report_url')
    l_0_neighbours_slot = resolve('neighbours_slot')
    l_0_ev = missing
    try:
        t_4 = environment.filters['field_unit']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'field_unit' found.")
    try:
        t_5 = environment.filters['host']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'host' found.")
    try:
        t_6 = environment.filters['input_shown']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'input_shown' found.")
    try:
        t_7 = environment.filters['input_text']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'input_text' found.")
    try:
        t_8 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_9 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_10 = environment.filters['link_label']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'link_label' found.")
    try:
        t_11 = environment.filters['mid_sentence']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No filter named 'mid_sentence' found.")
    try:
        t_12 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_12(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    try:
        t_13 = environment.filters['unit_note']
    except KeyError:
        @internalcode
        def t_13(*unused):
            raise TemplateRuntimeError("No filter named 'unit_note' found.")
    try:
        t_14 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_14(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<article class="guide" data-pagefind-body>\n  <header class="guide-header">\n    <h1>'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'title'))
    yield '</h1>\n    <p class="summary">'
    if environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'summary_html'):
        pass
        yield escape(t_12(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'summary_html')))
    else:
        pass
        yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'summary'))
    yield '</p>\n'
    if environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'authors'):
        pass
        yield '    <p class="byline">By '
        l_1_loop = missing
        for l_1_author, l_1_loop in LoopContext(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'authors'), undefined):
            _loop_vars = {}
            pass
            if environment.getattr(l_1_author, 'url'):
                pass
                yield '<a href="'
                yield escape(environment.getattr(l_1_author, 'url'))
                yield '" rel="author">'
                yield escape(environment.getattr(l_1_author, 'name'))
                yield '</a>'
            else:
                pass
                yield escape(environment.getattr(l_1_author, 'name'))
            yield escape((', ' if (environment.getattr(l_1_loop, 'revindex') > 2) else (' and ' if (environment.getattr(l_1_loop, 'revindex') == 2) else cond_expr_undefined("the inline if-expression on line 32 in 'guide.html' evaluated to false and no else section was defined."))))
        l_1_loop = l_1_author = missing
        yield '</p>\n'
    yield '    <p class="meta">\n      Published <time datetime="'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'published'))
    yield '">'
    yield escape(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'published'))
    yield '</time>\n'
    if (environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'updated') != environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'published')):
        pass
        yield ' · updated <time datetime="'
        yield escape(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'updated'))
        yield '">'
        yield escape(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'updated'))
        yield '</time>'
    yield '      · '
    yield escape((undefined(name='reading_minutes') if l_0_reading_minutes is missing else l_0_reading_minutes))
    yield ' min read\n      · <a href="'
    yield escape((undefined(name='twin_href') if l_0_twin_href is missing else l_0_twin_href))
    yield '" type="application/json">JSON twin</a>\n      · <a href="'
    yield escape((undefined(name='markdown_href') if l_0_markdown_href is missing else l_0_markdown_href))
    yield '" type="text/markdown">Markdown twin</a>\n    </p>\n'
    l_0_ev = (undefined(name='evidence') if l_0_evidence is missing else l_0_evidence)
    _block_vars['ev'] = l_0_ev
    template = environment.get_template('partials/evidence.html', 'guide.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'ev': l_0_ev}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '    <p class="legend" id="evidence-legend">Each <span class="legend-ref">[n]</span> opens its source, the day it was read and the author\'s confidence in it (high, medium, low), with the result of the last link check; each <span class="legend-calc">computed figure</span> opens its arithmetic. <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'about-evidence/">How to read the evidence</a></p>\n'
    if environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'tags'):
        pass
        yield '    <ul class="tags">\n'
        for l_1_tag in environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'tags'):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
            yield 'tags/'
            yield escape(l_1_tag)
            yield '/">#'
            yield escape(l_1_tag)
            yield '</a></li>'
        l_1_tag = missing
        yield '    </ul>\n'
    yield '  </header>\n\n  <nav class="toc" id="toc" aria-labelledby="toc-title" data-pagefind-ignore>\n    <details class="toc-details">\n      <summary id="toc-title">On this page</summary>\n      <ol>\n'
    for l_1_section in (undefined(name='toc') if l_0_toc is missing else l_0_toc):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.getattr(l_1_section, 'id'))
        yield '">'
        yield escape(environment.getattr(l_1_section, 'title'))
        yield '</a></li>'
    l_1_section = missing
    yield '      </ol>\n    </details>\n  </nav>\n\n  <div class="body">\n'
    yield escape(t_12((undefined(name='body') if l_0_body is missing else l_0_body)))
    yield '\n  </div>\n\n'
    if environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'calculations'):
        pass
        yield '  <section id="calculations" class="apparatus" data-pagefind-ignore aria-labelledby="calculations-title">\n    <h2 id="calculations-title">How the numbers were computed <a class="self-link" href="#calculations" aria-label="Link to this section: How the numbers were computed">#</a></h2>\n    <p>Every computed figure comes from a model (a formula with units) evaluated over cited rows of the site\'s data tables; the steps show every input at full precision.</p>\n    <details class="apparatus-details">\n      <summary>Show the arithmetic of '
        yield escape(t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'calculations')))
        yield ' figure'
        yield escape(('s' if (t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'calculations')) != 1) else cond_expr_undefined("the inline if-expression on line 68 in 'guide.html' evaluated to false and no else section was defined.")))
        yield '</summary>\n    <ol class="calculations">\n'
        l_1_loop = missing
        for l_1_calc, l_1_loop in LoopContext(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'calculations'), undefined):
            l_1_lead = resolve('lead')
            l_1_note = l_1_spec_model = missing
            _loop_vars = {}
            pass
            yield '      <li id="'
            yield escape(environment.getattr(l_1_calc, 'id'))
            yield '">\n        <p><strong>'
            yield escape(environment.getattr(l_1_calc, 'display'))
            yield '</strong>'
            l_1_note = t_13(environment.getattr(l_1_calc, 'display'), environment.getattr(l_1_calc, 'unit'))
            _loop_vars['note'] = l_1_note
            if (undefined(name='note') if l_1_note is missing else l_1_note):
                pass
                yield ' <span class="unit">('
                yield escape((undefined(name='note') if l_1_note is missing else l_1_note))
                yield ')</span>'
            yield ' — '
            yield escape(environment.getattr(l_1_calc, 'title'))
            yield ' (<code>'
            yield escape(environment.getattr(l_1_calc, 'calculator'))
            yield '</code>)'
            if (not environment.getattr(l_1_calc, 'steps')):
                pass
                yield ': '
                yield escape(environment.getattr(l_1_calc, 'formula'))
            yield '.'
            if (not t_14(environment.getattr(l_1_calc, 'feasible'))):
                pass
                yield ' '
                yield escape(('The GPUs can serve this volume.' if environment.getattr(l_1_calc, 'feasible') else 'The GPUs cannot serve this volume: it exceeds their monthly capacity.'))
            if environment.getattr(l_1_calc, 'ref'):
                pass
                yield ' <a class="backref" href="#calc-ref-'
                yield escape(environment.getattr(l_1_calc, 'ref'))
                yield '" aria-label="Back to where '
                yield escape(environment.getattr(l_1_calc, 'display'))
                yield ' is used in the text">↩</a>'
            elif (environment.getattr(l_1_calc, 'id') in environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'key_findings')):
                pass
                yield ' <a class="backref" href="#summary-'
                yield escape(environment.getattr(l_1_calc, 'id'))
                yield '" aria-label="Back to '
                yield escape(environment.getattr(l_1_calc, 'display'))
                yield ' in the summary">↩</a>'
            yield '</p>\n'
            if environment.getattr(l_1_calc, 'steps'):
                pass
                l_1_lead = context.call(environment.getattr(environment.getitem(environment.getattr(l_1_calc, 'steps'), 0), 'endswith'), ':', _loop_vars=_loop_vars)
                _loop_vars['lead'] = l_1_lead
                yield '        <ol class="calc-steps">\n'
                l_2_loop = missing
                for l_2_step, l_2_loop in LoopContext(environment.getattr(l_1_calc, 'steps'), undefined):
                    _loop_vars = {}
                    pass
                    yield '<li'
                    if ((undefined(name='lead') if l_1_lead is missing else l_1_lead) and environment.getattr(l_2_loop, 'first')):
                        pass
                        yield ' class="calc-steps-lead"'
                    elif ((undefined(name='lead') if l_1_lead is missing else l_1_lead) and (environment.getattr(l_2_loop, 'index') == 2)):
                        pass
                        yield ' value="1"'
                    yield '>'
                    yield escape(l_2_step)
                    yield '</li>'
                l_2_loop = l_2_step = missing
                yield '        </ol>\n'
            l_1_spec_model = context.call(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'models'), 'get'), environment.getattr(l_1_calc, 'calculator'), _loop_vars=_loop_vars)
            _loop_vars['spec_model'] = l_1_spec_model
            if (undefined(name='spec_model') if l_1_spec_model is missing else l_1_spec_model):
                pass
                yield '        <form class="whatif" data-model="'
                yield escape(environment.getattr(l_1_calc, 'calculator'))
                yield '" data-calc="'
                yield escape(environment.getattr(l_1_calc, 'id'))
                yield '">\n          <fieldset disabled>\n            <legend>Try your own numbers</legend>\n'
                for l_2_p in environment.getattr(l_1_calc, 'params'):
                    l_2_spec = missing
                    _loop_vars = {}
                    pass
                    l_2_spec = environment.getitem(environment.getattr((undefined(name='spec_model') if l_1_spec_model is missing else l_1_spec_model), 'params'), environment.getattr(l_2_p, 'name'))
                    _loop_vars['spec'] = l_2_spec
                    if ((environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'kind') == 'number') and (not environment.getattr(l_2_p, 'row'))):
                        pass
                        yield '            <label class="whatif-field"><span>'
                        yield escape((environment.getattr(l_2_p, 'label') or environment.getattr(l_2_p, 'name')))
                        yield '</span> <input type="text" name="'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" value="'
                        yield escape(t_7(environment.getattr(l_2_p, 'value')))
                        yield '" inputmode="decimal" autocomplete="off" spellcheck="false" data-origin="'
                        yield escape(environment.getattr(l_2_p, 'origin'))
                        yield '">'
                        if (environment.getattr(l_2_p, 'unit') and (environment.getattr(l_2_p, 'unit') != '1')):
                            pass
                            yield ' <span class="unit">'
                            yield escape(t_4(environment.getattr(l_2_p, 'unit')))
                            yield '</span>'
                        yield '</label>\n'
                    elif ((((environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'kind') == 'number') and context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars)) and environment.getattr(l_2_p, 'row')) and context.call(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'tables'), 'get'), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars), _loop_vars=_loop_vars)):
                        pass
                        yield '            <label class="whatif-field"><span>'
                        yield escape((environment.getattr(l_2_p, 'label') or environment.getattr(l_2_p, 'name')))
                        yield '</span> <input type="text" name="'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" value="'
                        yield escape(environment.getattr(l_2_p, 'row'))
                        yield '" list="rows-'
                        yield escape(environment.getattr(l_1_calc, 'id'))
                        yield '-'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" autocomplete="off" spellcheck="false" data-origin="'
                        yield escape(environment.getattr(l_2_p, 'origin'))
                        yield '" aria-describedby="hint-'
                        yield escape(environment.getattr(l_1_calc, 'id'))
                        yield '-'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '"><span class="unit" id="hint-'
                        yield escape(environment.getattr(l_1_calc, 'id'))
                        yield '-'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '">a row of '
                        yield escape(t_11(context.call(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'table_names'), 'get'), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars), _loop_vars=_loop_vars)))
                        yield ', or your own number'
                        if (environment.getattr(l_2_p, 'unit') and (environment.getattr(l_2_p, 'unit') != '1')):
                            pass
                            yield ' in '
                            yield escape(environment.getattr(l_2_p, 'unit'))
                        yield '</span></label>\n            <datalist id="rows-'
                        yield escape(environment.getattr(l_1_calc, 'id'))
                        yield '-'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '">'
                        for (l_3_rid, l_3_row) in context.call(environment.getattr(environment.getattr(environment.getitem(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'tables'), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars)), 'rows'), 'items'), _loop_vars=_loop_vars):
                            _loop_vars = {}
                            pass
                            yield '<option value="'
                            yield escape(l_3_rid)
                            yield '">'
                            yield escape(context.call(environment.getattr(environment.getitem(l_3_row, 'values'), 'get'), 'name', l_3_rid, _loop_vars=_loop_vars))
                            yield '</option>'
                        l_3_rid = l_3_row = missing
                        yield '</datalist>\n'
                    elif ((context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars) and environment.getattr(l_2_p, 'row')) and context.call(environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'tables'), 'get'), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars), _loop_vars=_loop_vars)):
                        pass
                        yield '            <label class="whatif-field"><span>'
                        yield escape((environment.getattr(l_2_p, 'label') or environment.getattr(l_2_p, 'name')))
                        yield '</span> <select name="'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" data-origin="'
                        yield escape(environment.getattr(l_2_p, 'origin'))
                        yield '">'
                        for (l_3_rid, l_3_row) in context.call(environment.getattr(environment.getattr(environment.getitem(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'tables'), context.call(environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'get'), 'table', _loop_vars=_loop_vars)), 'rows'), 'items'), _loop_vars=_loop_vars):
                            _loop_vars = {}
                            pass
                            yield '<option value="'
                            yield escape(l_3_rid)
                            yield '"'
                            if (l_3_rid == environment.getattr(l_2_p, 'row')):
                                pass
                                yield ' selected'
                            yield '>'
                            yield escape(context.call(environment.getattr(environment.getitem(l_3_row, 'values'), 'get'), 'name', l_3_rid, _loop_vars=_loop_vars))
                            if context.call(environment.getattr(environment.getitem(l_3_row, 'values'), 'get'), 'name', _loop_vars=_loop_vars):
                                pass
                                yield ' ('
                                yield escape(l_3_rid)
                                yield ')'
                            yield '</option>'
                        l_3_rid = l_3_row = missing
                        yield '</select></label>\n'
                    elif (environment.getattr((undefined(name='spec') if l_2_spec is missing else l_2_spec), 'kind') == 'bool'):
                        pass
                        yield '            <label class="whatif-field"><span>'
                        yield escape((environment.getattr(l_2_p, 'label') or environment.getattr(l_2_p, 'name')))
                        yield '</span> <input type="checkbox" name="'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" value="true"'
                        if (t_7(environment.getattr(l_2_p, 'value')) == 'true'):
                            pass
                            yield ' checked'
                        yield ' data-origin="'
                        yield escape(environment.getattr(l_2_p, 'origin'))
                        yield '"></label>\n'
                    else:
                        pass
                        yield '            <input type="hidden" name="'
                        yield escape(environment.getattr(l_2_p, 'name'))
                        yield '" value="'
                        yield escape(t_7(environment.getattr(l_2_p, 'value')))
                        yield '" data-origin="'
                        yield escape(environment.getattr(l_2_p, 'origin'))
                        yield '">\n'
                l_2_p = l_2_spec = missing
                yield '            <p class="whatif-result"><span>Result:</span> <output name="result" aria-live="polite">'
                yield escape(environment.getattr(l_1_calc, 'display'))
                yield '</output> <button type="button" class="whatif-reset">Reset to the guide\'s inputs</button></p>\n          </fieldset>\n        </form>\n'
            if environment.getattr(l_1_calc, 'drivers'):
                pass
                yield '        <p class="calc-drivers">From its ranged inputs: '
                yield escape(environment.getattr(l_1_calc, 'display'))
                yield '. Moves most with '
                l_2_loop = missing
                for l_2_d, l_2_loop in LoopContext(environment.getattr(l_1_calc, 'drivers')[:3], undefined):
                    _loop_vars = {}
                    pass
                    yield escape((environment.getattr(l_2_d, 'phrase') or t_11(environment.getattr(l_2_d, 'label'))))
                    yield ' ('
                    yield escape(environment.getattr(l_2_d, 'low_text'))
                    yield ' at its low end, '
                    yield escape(environment.getattr(l_2_d, 'high_text'))
                    yield ' at its high end)'
                    yield escape(('; ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 106 in 'guide.html' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_d = missing
                yield '.</p>\n'
            yield '        <ul class="calc-inputs">\n'
            for l_2_p in environment.getattr(l_1_calc, 'params'):
                l_2_site = resolve('site')
                _loop_vars = {}
                pass
                yield '<li>'
                yield escape((environment.getattr(l_2_p, 'label') or environment.getattr(l_2_p, 'name')))
                yield ': '
                if environment.getattr(l_2_p, 'row'):
                    pass
                    yield '<code>'
                    yield escape(environment.getattr(l_2_p, 'row'))
                    yield '</code>'
                    if (not t_14(environment.getattr(l_2_p, 'number'))):
                        pass
                        yield ' ('
                        yield escape(environment.getattr(l_2_p, 'before'))
                        yield escape(t_6(environment.getattr(l_2_p, 'number'), environment.getattr((undefined(name='site') if l_2_site is missing else l_2_site), 'locale')))
                        yield escape(environment.getattr(l_2_p, 'after'))
                        yield ')'
                else:
                    pass
                    yield escape(environment.getattr(l_2_p, 'before'))
                    yield escape(t_6(environment.getattr(l_2_p, 'value'), environment.getattr((undefined(name='site') if l_2_site is missing else l_2_site), 'locale')))
                    yield escape(environment.getattr(l_2_p, 'after'))
                if (environment.getattr(l_2_p, 'origin') == 'default'):
                    pass
                    yield ' <span class="muted">(default)</span>'
                yield '</li>'
            l_2_p = l_2_site = missing
            yield '        </ul>\n'
            if environment.getattr(l_1_calc, 'facts'):
                pass
                yield '        <ul class="calc-facts">\n'
                l_2_loop = missing
                for l_2_fact, l_2_loop in LoopContext(environment.getattr(l_1_calc, 'facts'), undefined):
                    l_2_confidence_labels = resolve('confidence_labels')
                    l_2_stale_rows = resolve('stale_rows')
                    l_2_site = resolve('site')
                    l_2_old = missing
                    _loop_vars = {}
                    pass
                    yield '          <li>'
                    if (t_9(environment.getattr(l_2_fact, 'readings')) > 1):
                        pass
                        l_3_loop = missing
                        for l_3_r, l_3_loop in LoopContext(environment.getattr(l_2_fact, 'readings'), undefined):
                            _loop_vars = {}
                            pass
                            yield '<a href="'
                            yield escape(environment.getattr(l_3_r, 'url'))
                            yield '" rel="noopener">'
                            yield escape(t_5(environment.getattr(l_3_r, 'url')))
                            yield '</a> (read <time datetime="'
                            yield escape(environment.getattr(l_3_r, 'date'))
                            yield '">'
                            yield escape(environment.getattr(l_3_r, 'date'))
                            yield '</time>, '
                            yield escape(environment.getattr(l_3_r, 'confidence'))
                            yield ')'
                            yield escape((', ' if (not environment.getattr(l_3_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 114 in 'guide.html' evaluated to false and no else section was defined.")))
                        l_3_loop = l_3_r = missing
                        yield ' · '
                        yield escape(environment.getattr(l_2_fact, 'table'))
                        yield '/'
                        yield escape(environment.getattr(l_2_fact, 'row'))
                    else:
                        pass
                        yield '<a href="'
                        yield escape(environment.getattr(l_2_fact, 'source'))
                        yield '" rel="noopener">'
                        yield escape(t_5(environment.getattr(l_2_fact, 'source')))
                        yield '</a> · '
                        yield escape(environment.getattr(l_2_fact, 'table'))
                        yield '/'
                        yield escape(environment.getattr(l_2_fact, 'row'))
                        yield ' · read <time datetime="'
                        yield escape(environment.getattr(l_2_fact, 'date'))
                        yield '">'
                        yield escape(environment.getattr(l_2_fact, 'date'))
                        yield '</time>'
                    if environment.getattr(l_2_fact, 'as_of'):
                        pass
                        yield ' · figures as of <time datetime="'
                        yield escape(environment.getattr(l_2_fact, 'as_of'))
                        yield '">'
                        yield escape(environment.getattr(l_2_fact, 'as_of'))
                        yield '</time>'
                    yield ' · <span class="badge confidence-'
                    yield escape(environment.getattr(l_2_fact, 'confidence'))
                    yield '">'
                    yield escape(environment.getitem((undefined(name='confidence_labels') if l_2_confidence_labels is missing else l_2_confidence_labels), environment.getattr(l_2_fact, 'confidence')))
                    yield '</span>'
                    l_2_old = context.call(environment.getattr((undefined(name='stale_rows') if l_2_stale_rows is missing else l_2_stale_rows), 'get'), (environment.getattr(l_2_fact, 'table'), environment.getattr(l_2_fact, 'row')), _loop_vars=_loop_vars)
                    _loop_vars['old'] = l_2_old
                    if (undefined(name='old') if l_2_old is missing else l_2_old):
                        pass
                        yield ' · <span class="badge stale" title="Older than the '
                        yield escape(environment.getattr((undefined(name='old') if l_2_old is missing else l_2_old), 'confidence'))
                        yield '-confidence budget of '
                        yield escape(environment.getitem(environment.getattr((undefined(name='site') if l_2_site is missing else l_2_site), 'stale'), environment.getattr((undefined(name='old') if l_2_old is missing else l_2_old), 'confidence')))
                        yield ' days">stale</span>'
                    if environment.getattr(l_2_fact, 'estimate'):
                        pass
                        yield ' · <span class="badge estimate">estimate</span>'
                    if environment.getattr(l_2_fact, 'note'):
                        pass
                        yield ': '
                        yield escape(environment.getattr(l_2_fact, 'note'))
                    yield '</li>\n'
                l_2_loop = l_2_fact = l_2_confidence_labels = l_2_stale_rows = l_2_old = l_2_site = missing
                yield '        </ul>\n'
            for l_2_fx in environment.getattr(l_1_calc, 'fx'):
                _loop_vars = {}
                pass
                yield '<p class="calc-fx">Converted at 1 '
                yield escape(environment.getattr(l_2_fx, 'base'))
                yield ' = '
                yield escape(environment.getattr(l_2_fx, 'rate'))
                yield ' '
                yield escape(environment.getattr(l_2_fx, 'quote'))
                yield ' ('
                yield escape(environment.getattr(l_2_fx, 'date'))
                yield ').</p>'
            l_2_fx = missing
            yield '      </li>\n'
        l_1_loop = l_1_calc = l_1_note = l_1_lead = l_1_spec_model = missing
        yield '    </ol>\n    </details>\n  </section>\n'
    yield '\n'
    if environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'sources'):
        pass
        yield '  <section id="sources" class="apparatus" data-pagefind-ignore aria-labelledby="sources-title">\n    <h2 id="sources-title">Sources <a class="self-link" href="#sources" aria-label="Link to this section: Sources">#</a></h2>\n    <details class="apparatus-details">\n      <summary>Show '
        yield escape(t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'sources')))
        yield ' source'
        yield escape(('s with their link checks' if (t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'sources')) != 1) else ' with its link check'))
        yield '</summary>\n    <ul class="sources">\n'
        l_1_loop = missing
        for l_1_source, l_1_loop in LoopContext(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'sources'), undefined):
            l_1_links = resolve('links')
            l_1_readings = resolve('readings')
            l_1_stale_sources = resolve('stale_sources')
            l_1_link = missing
            _loop_vars = {}
            pass
            l_1_link = environment.getitem((undefined(name='links') if l_1_links is missing else l_1_links), environment.getattr(l_1_source, 'id'))
            _loop_vars['link'] = l_1_link
            yield '      <li id="'
            yield escape(environment.getattr(l_1_source, 'id'))
            yield '" data-link-status="'
            yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'status'))
            yield '">\n'
            if (environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url') and (environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'status') in ('dead', 'soft-404'))):
                pass
                yield '        <a href="'
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url'))
                yield '" rel="noopener">Archived copy</a> of\n        <a href="'
                yield escape(environment.getattr(l_1_source, 'url'))
                yield '" rel="noopener" class="link-gone">'
                yield escape(environment.getattr(l_1_source, 'url'))
                yield '</a>\n'
            else:
                pass
                yield '        <a href="'
                yield escape(environment.getattr(l_1_source, 'url'))
                yield '" rel="noopener">'
                yield escape((environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'title') or environment.getattr(l_1_source, 'url')))
                yield '</a>\n'
            yield '        <span class="source-meta">'
            yield escape(environment.getattr(l_1_source, 'host'))
            l_2_loop = missing
            for l_2_use, l_2_loop in LoopContext(context.call((undefined(name='readings') if l_1_readings is missing else l_1_readings), l_1_source, _loop_vars=_loop_vars), undefined):
                _loop_vars = {}
                pass
                yield escape((' · ' if environment.getattr(l_2_loop, 'first') else '; '))
                if environment.getattr(l_2_use, 'label'):
                    pass
                    yield escape(environment.getattr(l_2_use, 'label'))
                    yield ': '
                l_3_loop = missing
                for l_3_day, l_3_loop in LoopContext(environment.getattr(l_2_use, 'dates'), undefined):
                    _loop_vars = {}
                    pass
                    yield '<time datetime="'
                    yield escape(l_3_day)
                    yield '">'
                    yield escape(l_3_day)
                    yield '</time>'
                    yield escape((', ' if (not environment.getattr(l_3_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 141 in 'guide.html' evaluated to false and no else section was defined.")))
                l_3_loop = l_3_day = missing
                yield ' · '
                yield escape(t_8(context.eval_ctx, environment.getattr(l_2_use, 'confidences'), ', '))
                yield ' confidence'
            l_2_loop = l_2_use = missing
            if ('input' in environment.getattr(l_1_source, 'roles')):
                pass
                yield ' · <span class="badge role-input">calculator input</span>'
            if (environment.getattr(l_1_source, 'id') in (undefined(name='stale_sources') if l_1_stale_sources is missing else l_1_stale_sources)):
                pass
                yield ' · <span class="badge stale">stale</span>'
            if (environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url') and (environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'status') not in ('dead', 'soft-404', 'moved'))):
                pass
                yield ' · <a href="'
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url'))
                yield '" rel="noopener" class="archived-copy">archived copy</a>'
            yield '</span>\n        <span class="badge link-'
            yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'status'))
            yield '" title="'
            if environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'checked_at'):
                pass
                yield 'Checked '
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'checked_at'))
                if environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'http_status'):
                    pass
                    yield ', HTTP '
                    yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'http_status'))
            else:
                pass
                yield 'Not checked yet'
            yield '">'
            yield escape(t_10((undefined(name='link') if l_1_link is missing else l_1_link)))
            if environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'checked_at'):
                pass
                yield ' · '
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'checked_at')[:10])
            yield '</span>\n'
            if ((environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'status') == 'moved') and environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'final_url')):
                pass
                yield '<span class="source-meta">Now at <a href="'
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'final_url'))
                yield '" rel="noopener">'
                yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'final_url'))
                yield '</a>'
                if environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url'):
                    pass
                    yield ' · <a href="'
                    yield escape(environment.getattr((undefined(name='link') if l_1_link is missing else l_1_link), 'archive_url'))
                    yield '" rel="noopener">archived copy</a>'
                yield '</span>'
            yield '      </li>\n'
        l_1_loop = l_1_source = l_1_links = l_1_link = l_1_readings = l_1_stale_sources = missing
        yield '    </ul>\n    </details>\n  </section>\n'
    yield '\n'
    if (undefined(name='manifest') if l_0_manifest is missing else l_0_manifest):
        pass
        yield '  <section id="citation-manifest" class="apparatus" data-pagefind-ignore aria-labelledby="manifest-title">\n    <h2 id="manifest-title">Citation manifest <a class="self-link" href="#citation-manifest" aria-label="Link to this section: Citation manifest">#</a></h2>\n    <p>Every factual claim above has a source, a date and a confidence level. Agents can fetch the same manifest as JSON: <a href="'
        yield escape((undefined(name='twin_href') if l_0_twin_href is missing else l_0_twin_href))
        yield '">'
        yield escape((undefined(name='twin_url') if l_0_twin_url is missing else l_0_twin_url))
        yield '</a>.</p>\n    <details class="apparatus-details">\n      <summary>Show '
        yield escape(t_9((undefined(name='manifest') if l_0_manifest is missing else l_0_manifest)))
        yield ' claim'
        yield escape(('s and their' if (t_9((undefined(name='manifest') if l_0_manifest is missing else l_0_manifest)) != 1) else ' and its'))
        yield ' '
        yield escape(t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'citations')))
        yield ' citation'
        yield escape(('s' if (t_9(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'citations')) != 1) else cond_expr_undefined("the inline if-expression on line 156 in 'guide.html' evaluated to false and no else section was defined.")))
        yield '</summary>\n    <ol class="manifest">\n'
        for l_1_entry in (undefined(name='manifest') if l_0_manifest is missing else l_0_manifest):
            _loop_vars = {}
            pass
            yield '      <li class="manifest-claim">\n        <p class="claim">'
            yield escape(environment.getattr(environment.getattr(l_1_entry, 'claim'), 'text'))
            yield '</p>\n        <ul class="citations">\n'
            for (l_2_citation, l_2_source) in environment.getattr(l_1_entry, 'citations'):
                l_2_links = resolve('links')
                l_2_confidence_labels = resolve('confidence_labels')
                l_2_stale = resolve('stale')
                l_2_site = resolve('site')
                l_2_quote_status = resolve('quote_status')
                l_2_quoted = resolve('quoted')
                l_2_quote_labels = resolve('quote_labels')
                l_2_link = missing
                _loop_vars = {}
                pass
                l_2_link = environment.getitem((undefined(name='links') if l_2_links is missing else l_2_links), environment.getattr(l_2_source, 'id'))
                _loop_vars['link'] = l_2_link
                yield '        <li id="cite-'
                yield escape(environment.getattr(l_2_citation, 'n'))
                yield '">\n          <p class="citation-meta">\n            <span class="ref-n">['
                yield escape(environment.getattr(l_2_citation, 'n'))
                yield ']</span>\n'
                if (environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'archive_url') and (environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'status') in ('dead', 'soft-404'))):
                    pass
                    yield '<a href="'
                    yield escape(environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'archive_url'))
                    yield '" rel="noopener">'
                    yield escape(environment.getattr(l_2_source, 'host'))
                    yield ' (archived)</a>'
                else:
                    pass
                    yield '<a href="'
                    yield escape(environment.getattr(l_2_citation, 'url'))
                    yield '" rel="noopener">'
                    yield escape((environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'title') or environment.getattr(l_2_source, 'host')))
                    yield '</a>'
                yield '            · <a href="#'
                yield escape(environment.getattr(l_2_source, 'id'))
                yield '" class="badge link-'
                yield escape(environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'status'))
                yield '">'
                yield escape(t_10((undefined(name='link') if l_2_link is missing else l_2_link)))
                yield '</a>\n            · <time datetime="'
                yield escape(environment.getattr(l_2_citation, 'date'))
                yield '">'
                yield escape(environment.getattr(l_2_citation, 'date'))
                yield '</time>\n            · <span class="badge confidence-'
                yield escape(environment.getattr(l_2_citation, 'confidence'))
                yield '">'
                yield escape(environment.getitem((undefined(name='confidence_labels') if l_2_confidence_labels is missing else l_2_confidence_labels), environment.getattr(l_2_citation, 'confidence')))
                yield '</span>\n'
                if (environment.getattr(l_2_citation, 'n') in (undefined(name='stale') if l_2_stale is missing else l_2_stale)):
                    pass
                    yield '· <span class="badge stale" title="Older than the '
                    yield escape(environment.getattr(l_2_citation, 'confidence'))
                    yield '-confidence budget of '
                    yield escape(environment.getitem(environment.getattr((undefined(name='site') if l_2_site is missing else l_2_site), 'stale'), environment.getattr(l_2_citation, 'confidence')))
                    yield ' days">stale</span>'
                yield '            · <a class="backref" href="#cite-ref-'
                yield escape(environment.getattr(l_2_citation, 'n'))
                yield '" aria-label="Back to reference '
                yield escape(environment.getattr(l_2_citation, 'n'))
                yield ' in the text">↩</a>\n          </p>\n'
                if environment.getattr(l_2_citation, 'quote'):
                    pass
                    l_2_quoted = context.call((undefined(name='quote_status') if l_2_quote_status is missing else l_2_quote_status), l_2_citation, (undefined(name='link') if l_2_link is missing else l_2_link), _loop_vars=_loop_vars)
                    _loop_vars['quoted'] = l_2_quoted
                    yield '          <p class="quote">Quoted: <q>'
                    yield escape(environment.getattr(l_2_citation, 'quote'))
                    yield '</q> · <span class="badge quote-'
                    yield escape((undefined(name='quoted') if l_2_quoted is missing else l_2_quoted))
                    yield '">'
                    yield escape(environment.getitem((undefined(name='quote_labels') if l_2_quote_labels is missing else l_2_quote_labels), (undefined(name='quoted') if l_2_quoted is missing else l_2_quoted)))
                    if (((undefined(name='quoted') if l_2_quoted is missing else l_2_quoted) != 'unchecked') and environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'checked_at')):
                        pass
                        yield ', checked <time datetime="'
                        yield escape(environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'checked_at')[:10])
                        yield '">'
                        yield escape(environment.getattr((undefined(name='link') if l_2_link is missing else l_2_link), 'checked_at')[:10])
                        yield '</time>'
                    yield '</span></p>\n'
                yield '        </li>\n'
            l_2_citation = l_2_source = l_2_links = l_2_link = l_2_confidence_labels = l_2_stale = l_2_site = l_2_quote_status = l_2_quoted = l_2_quote_labels = missing
            yield '        </ul>\n      </li>\n'
        l_1_entry = missing
        yield '    </ol>\n    </details>\n  </section>\n'
    yield '\n'
    if (undefined(name='updates') if l_0_updates is missing else l_0_updates):
        pass
        yield '  <section id="update-log" aria-labelledby="update-log-title">\n    <h2 id="update-log-title">Update log <a class="self-link" href="#update-log" aria-label="Link to this section: Update log">#</a></h2>\n    <ul class="updates">\n'
        for l_1_update in (undefined(name='updates') if l_0_updates is missing else l_0_updates):
            _loop_vars = {}
            pass
            yield '      <li><strong>'
            yield escape(environment.getattr(l_1_update, 'version'))
            yield '</strong> <time datetime="'
            yield escape(environment.getattr(l_1_update, 'date'))
            yield '">'
            yield escape(environment.getattr(l_1_update, 'date'))
            yield '</time> — '
            yield escape(environment.getattr(l_1_update, 'note'))
            yield '</li>\n'
        l_1_update = missing
        yield '    </ul>\n  </section>\n'
    yield '\n'
    if environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'entities'):
        pass
        yield '  <section id="entities" aria-labelledby="entities-title">\n    <h2 id="entities-title">Entities <a class="self-link" href="#entities" aria-label="Link to this section: Entities">#</a></h2>\n    <ul class="entities">\n'
        for l_1_entity in environment.getattr(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'meta'), 'entities'):
            _loop_vars = {}
            pass
            yield '<li>'
            yield escape(l_1_entity)
            yield '</li>'
        l_1_entity = missing
        yield '    </ul>\n  </section>\n'
    yield '\n'
    if ((undefined(name='edit_url') if l_0_edit_url is missing else l_0_edit_url) or (undefined(name='report_url') if l_0_report_url is missing else l_0_report_url)):
        pass
        yield '  <p class="page-actions" data-pagefind-ignore>'
        if (undefined(name='edit_url') if l_0_edit_url is missing else l_0_edit_url):
            pass
            yield '<a href="'
            yield escape((undefined(name='edit_url') if l_0_edit_url is missing else l_0_edit_url))
            yield '" rel="noopener">Edit this page</a>'
        if ((undefined(name='edit_url') if l_0_edit_url is missing else l_0_edit_url) and (undefined(name='report_url') if l_0_report_url is missing else l_0_report_url)):
            pass
            yield ' · '
        if (undefined(name='report_url') if l_0_report_url is missing else l_0_report_url):
            pass
            yield '<a href="'
            yield escape((undefined(name='report_url') if l_0_report_url is missing else l_0_report_url))
            yield '" rel="noopener">Report an error</a>'
        yield '</p>\n'
    yield escape(t_12((undefined(name='neighbours_slot') if l_0_neighbours_slot is missing else l_0_neighbours_slot)))
    yield '\n</article>\n'

def block_footer_note(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_twin_href = resolve('twin_href')
    l_0_guide = resolve('guide')
    l_0_markdown_href = resolve('markdown_href')
    pass
    yield 'For agents: <a href="'
    yield escape((undefined(name='twin_href') if l_0_twin_href is missing else l_0_twin_href))
    yield '">'
    yield escape(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'slug'))
    yield '.cite.json</a> and <a href="'
    yield escape((undefined(name='markdown_href') if l_0_markdown_href is missing else l_0_markdown_href))
    yield '">'
    yield escape(environment.getattr((undefined(name='guide') if l_0_guide is missing else l_0_guide), 'slug'))
    yield '.md</a>. '

blocks = {'title': block_title, 'description': block_description, 'social': block_social, 'head': block_head, 'scripts_extra': block_scripts_extra, 'main': block_main, 'footer_note': block_footer_note}
debug_info = '1=12&2=17&3=31&4=42&6=60&7=62&8=64&9=66&10=68&11=70&12=72&13=74&15=81&18=89&19=91&21=94&22=105&23=107&25=110&26=140&29=230&30=232&31=239&32=243&35=260&36=264&37=272&38=274&39=276&41=278&42=287&43=289&45=292&54=305&60=315&63=317&68=320&70=325&71=331&72=333&73=371&76=373&78=377&81=392&82=394&83=397&86=401&87=407&88=410&89=424&91=427&92=454&93=468&94=471&95=496&96=499&98=512&101=520&105=522&106=525&109=541&111=571&113=575&114=583&118=652&126=669&130=672&132=677&133=684&134=687&135=691&136=694&137=696&139=703&141=708&142=745&143=765&151=782&154=785&156=789&158=797&160=801&162=803&163=814&164=817&166=819&167=821&168=836&169=842&170=846&171=850&172=858&174=862&175=864&176=867&188=886&192=889&193=893&199=904&203=907&208=916&209=919&211=933&214=936'
# Generated by `make templates` from templates/guide.html: do not edit.
