from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_generator = resolve('generator')
    l_0_canonical = resolve('canonical')
    l_0_root = resolve('root')
    l_0_jsonld = resolve('jsonld')
    try:
        t_1 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    try:
        t_2 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield from context.blocks['title'][0](context)
    yield '</title>\n<meta name="description" content="'
    yield from context.blocks['description'][0](context)
    yield '">\n<meta name="generator" content="'
    yield escape((undefined(name='generator') if l_0_generator is missing else l_0_generator))
    yield '">\n'
    if (undefined(name='canonical') if l_0_canonical is missing else l_0_canonical):
        pass
        yield '<link rel="canonical" href="'
        yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
        yield '">'
    yield '<script src="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'assets/theme.js"></script>\n<link rel="icon" href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'assets/favicon.svg" type="image/svg+xml">\n<link rel="stylesheet" href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'assets/style.css">\n'
    for l_1_sheet in environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'theme'), 'extra_css'):
        _loop_vars = {}
        pass
        yield '<link rel="stylesheet" href="'
        yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
        yield 'assets/'
        yield escape(l_1_sheet)
        yield '">\n'
    l_1_sheet = missing
    yield '<link rel="alternate" type="application/atom+xml" href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'feed.xml" title="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n'
    yield from context.blocks['social'][0](context)
    if t_2((undefined(name='jsonld') if l_0_jsonld is missing else l_0_jsonld)):
        pass
        yield '<script type="application/ld+json">'
        yield escape(t_1(context.eval_ctx, (undefined(name='jsonld') if l_0_jsonld is missing else l_0_jsonld)))
        yield '</script>'
    yield from context.blocks['head'][0](context)
    yield '<script defer src="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'assets/site.js"></script>\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'search'):
        pass
        yield '<script defer src="'
        yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
        yield 'assets/search.js"></script>'
    yield from context.blocks['scripts_extra'][0](context)
    yield from context.blocks['head_extra'][0](context)
    yield '</head>\n<body>\n<a class="skip" href="#main">Skip to content</a>\n'
    yield from context.blocks['header'][0](context)
    yield '<main id="main">\n'
    yield from context.blocks['main'][0](context)
    yield '</main>\n'
    yield from context.blocks['footer'][0](context)
    yield '</body>\n</html>\n'

def block_title(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_description(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))

def block_social(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_self = TemplateReference(context)
    _block_vars = {}
    l_0_canonical = resolve('canonical')
    l_0_site = resolve('site')
    try:
        t_3 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    pass
    yield '<meta property="og:type" content="website">\n<meta property="og:title" content="'
    yield escape(context.call(environment.getattr(l_0_self, 'title'), _block_vars=_block_vars))
    yield '">\n<meta property="og:description" content="'
    yield escape(context.call(environment.getattr(l_0_self, 'description'), _block_vars=_block_vars))
    yield '">\n'
    if (undefined(name='canonical') if l_0_canonical is missing else l_0_canonical):
        pass
        yield '<meta property="og:url" content="'
        yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
        yield '">'
    yield '<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n<meta property="og:locale" content="'
    yield escape(t_3(context.eval_ctx, environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'), '-', '_'))
    yield '">\n<meta name="twitter:card" content="summary">\n<meta name="twitter:title" content="'
    yield escape(context.call(environment.getattr(l_0_self, 'title'), _block_vars=_block_vars))
    yield '">\n<meta name="twitter:description" content="'
    yield escape(context.call(environment.getattr(l_0_self, 'description'), _block_vars=_block_vars))
    yield '">\n'

def block_head(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_scripts_extra(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_head_extra(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_header(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield '<header class="site-header">\n'
    yield from context.blocks['brand'][0](context)
    yield '  <nav aria-label="Site">\n'
    yield from context.blocks['nav'][0](context)
    yield '  </nav>\n  <button type="button" class="theme-toggle" id="theme-toggle">Theme: auto</button>\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'search'):
        pass
        yield '  <form class="search" role="search" id="search-form" action="#">\n    <label for="search-input">Search the guides</label>\n    <input id="search-input" type="search" name="q" autocomplete="off" placeholder="Search the guides">\n    <button type="submit">Search</button>\n  </form>\n  <div class="search-panel" id="search-panel" hidden>\n    <p id="search-status" class="meta" aria-live="polite"></p>\n    <ol id="search-results" class="search-results"></ol>\n  </div>\n'
    yield '</header>\n'

def block_brand(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_root = resolve('root')
    l_0_site = resolve('site')
    pass
    yield '  <a class="site-title" href="'
    yield escape(((undefined(name='root') if l_0_root is missing else l_0_root) or './'))
    yield '">'
    if environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'theme'), 'logo'):
        pass
        yield '<img class="site-logo" src="'
        yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
        yield 'assets/'
        yield escape(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'theme'), 'logo'))
        yield '" alt="">'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</a>\n'

def block_nav(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_root = resolve('root')
    l_0_site = resolve('site')
    pass
    yield '    <a href="'
    yield escape(((undefined(name='root') if l_0_root is missing else l_0_root) or './'))
    yield '">Guides</a>\n    <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'tags/">Tags</a>\n    <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'about-evidence/">About the evidence</a>\n    <a href="'
    yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
    yield 'llms.txt">llms.txt</a>\n'
    for l_1_link in environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'theme'), 'nav'):
        _loop_vars = {}
        pass
        yield '    <a href="'
        yield escape(context.call(environment.getattr(l_1_link, 'href'), (undefined(name='root') if l_0_root is missing else l_0_root), _loop_vars=_loop_vars))
        yield '">'
        yield escape(environment.getattr(l_1_link, 'title'))
        yield '</a>\n'
    l_1_link = missing

def block_main(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_footer(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    l_0_generator = resolve('generator')
    pass
    yield '<footer class="site-footer">\n'
    if (environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'audience'), 'enabled') and (environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'audience'), 'endpoint') or (not context.call(environment.getattr(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'audience'), 'heading'), 'rstrip'), _block_vars=_block_vars), 'endswith'), '?', _block_vars=_block_vars)))):
        pass
        template = environment.get_template('partials/audience.html', 'base.html')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
    yield '  <p>'
    yield from context.blocks['footer_note'][0](context)
    yield 'Built with '
    yield escape((undefined(name='generator') if l_0_generator is missing else l_0_generator))
    yield '. Claims carry their sources; computed figures show their arithmetic.</p>\n</footer>\n'

def block_footer_note(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'title': block_title, 'description': block_description, 'social': block_social, 'head': block_head, 'scripts_extra': block_scripts_extra, 'head_extra': block_head_extra, 'header': block_header, 'brand': block_brand, 'nav': block_nav, 'main': block_main, 'footer': block_footer, 'footer_note': block_footer_note}
debug_info = '2=29&6=31&7=33&8=35&9=37&12=43&13=45&14=47&15=49&16=53&18=59&19=63&30=64&31=69&33=71&34=73&35=78&37=79&41=81&76=83&78=85&6=88&7=99&19=110&21=128&22=130&23=132&24=138&25=140&27=142&28=144&31=147&35=156&37=165&41=174&43=184&49=186&62=188&43=193&44=204&45=206&46=213&49=216&50=227&51=229&52=231&53=233&54=235&55=239&76=245&78=254&81=265&82=274'
# Generated by `make templates` from templates/base.html: do not edit.
