from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'partials/evidence.html'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_ev_id = resolve('ev_id')
    l_0_ev = resolve('ev')
    try:
        t_1 = environment.filters['default']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'default' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<p class="evidence-label" id="evidence-'
    yield escape(t_1((undefined(name='ev_id') if l_0_ev_id is missing else l_0_ev_id), 'summary'))
    yield '">Evidence</p>\n<ul class="evidence" aria-labelledby="evidence-'
    yield escape(t_1((undefined(name='ev_id') if l_0_ev_id is missing else l_0_ev_id), 'summary'))
    yield '">\n  <li><strong>'
    yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'claims'))
    yield '</strong> cited claim'
    yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'claims') != 1) else cond_expr_undefined("the inline if-expression on line 3 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
    yield '</li>\n  <li><strong>'
    yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'sources'))
    yield '</strong> source'
    yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'sources') != 1) else cond_expr_undefined("the inline if-expression on line 4 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
    yield '</li>\n'
    if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'inputs'):
        pass
        yield '<li>confidence: '
        yield escape(context.call(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'percent'), 'high'))
        yield '% high, '
        yield escape(context.call(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'percent'), 'medium'))
        yield '% medium, '
        yield escape(context.call(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'percent'), 'low'))
        yield '% low <span class="evidence-of">(of '
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'citations'))
        yield ' citation'
        yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'citations') != 1) else cond_expr_undefined("the inline if-expression on line 5 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
        if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'rows'):
            pass
            yield ' and '
            yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'rows'))
            yield ' table row'
            yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'rows') != 1) else cond_expr_undefined("the inline if-expression on line 5 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
        yield ')</span></li>'
    if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'calculations'):
        pass
        yield '<li><strong>'
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'calculations'))
        yield '</strong> computed figure'
        yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'calculations') != 1) else cond_expr_undefined("the inline if-expression on line 6 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
        yield '</li>'
    if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'estimates'):
        pass
        yield '<li><span class="badge estimate">'
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'estimates'))
        yield ' estimated input'
        yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'estimates') != 1) else cond_expr_undefined("the inline if-expression on line 7 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
        yield '</span></li>'
    if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'oldest'):
        pass
        yield '<li>oldest source read <time datetime="'
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'oldest'))
        yield '">'
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'oldest'))
        yield '</time></li>'
    if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale') or environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale_rows')):
        pass
        yield '<li><span class="badge stale">'
        yield escape((environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale') + environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale_rows')))
        yield ' stale</span>'
        if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale_rows'):
            pass
            yield ' ('
            if environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale'):
                pass
                yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale'))
                yield ' citation'
                yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale') != 1) else cond_expr_undefined("the inline if-expression on line 9 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
                yield ', '
            yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale_rows'))
            yield ' table row'
            yield escape(('s' if (environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'stale_rows') != 1) else cond_expr_undefined("the inline if-expression on line 9 in 'partials/evidence.html' evaluated to false and no else section was defined.")))
            yield ')'
        yield '</li>'
    yield '  <li>links: '
    if (not t_2(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'live_share'))):
        pass
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'live_share'))
        yield '% live ('
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'live'))
        yield ' of '
        yield escape(environment.getattr((undefined(name='ev') if l_0_ev is missing else l_0_ev), 'checked'))
        yield ' checked)'
    else:
        pass
        yield 'not checked yet'
    yield '</li>\n</ul>\n'

blocks = {}
debug_info = '1=26&2=28&3=30&4=34&5=38&6=57&7=64&8=71&9=78&10=98'
# Generated by `make templates` from templates/partials/evidence.html: do not edit.
