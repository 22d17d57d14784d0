from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'partials/neighbours.html'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_newer = resolve('newer')
    l_0_older = resolve('older')
    l_0_related = resolve('related')
    l_0_root = resolve('root')
    l_0_here = resolve('here')
    pass
    if (((undefined(name='newer') if l_0_newer is missing else l_0_newer) or (undefined(name='older') if l_0_older is missing else l_0_older)) or (undefined(name='related') if l_0_related is missing else l_0_related)):
        pass
        yield '<nav class="neighbours" aria-labelledby="neighbours-title" data-pagefind-ignore>\n  <h2 id="neighbours-title">More guides <a class="self-link" href="#neighbours-title" aria-label="Link to this section: More guides">#</a></h2>\n'
        if ((undefined(name='newer') if l_0_newer is missing else l_0_newer) or (undefined(name='older') if l_0_older is missing else l_0_older)):
            pass
            yield '  <ul class="pager">\n'
            if (undefined(name='newer') if l_0_newer is missing else l_0_newer):
                pass
                yield '<li><a href="'
                yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
                yield escape(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'slug'))
                yield '/" rel="prev"><span class="label">'
                yield escape(('Newer guide' if (environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'updated') > environment.getattr((undefined(name='here') if l_0_here is missing else l_0_here), 'updated')) else 'Previous guide'))
                yield ' · '
                yield escape(('updated' if (environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'updated') > environment.getattr((undefined(name='here') if l_0_here is missing else l_0_here), 'updated')) else 'also updated'))
                yield ' <time datetime="'
                yield escape(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'updated'))
                yield '">'
                yield escape(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'updated'))
                yield '</time></span>'
                yield escape(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'title'))
                yield '</a></li>'
            if (undefined(name='older') if l_0_older is missing else l_0_older):
                pass
                yield '<li><a href="'
                yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
                yield escape(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'slug'))
                yield '/" rel="next"><span class="label">'
                yield escape(('Older guide' if (environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'updated') < environment.getattr((undefined(name='here') if l_0_here is missing else l_0_here), 'updated')) else 'Next guide'))
                yield ' · '
                yield escape(('updated' if (environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'updated') < environment.getattr((undefined(name='here') if l_0_here is missing else l_0_here), 'updated')) else 'also updated'))
                yield ' <time datetime="'
                yield escape(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'updated'))
                yield '">'
                yield escape(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'updated'))
                yield '</time></span>'
                yield escape(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'title'))
                yield '</a></li>'
            yield '  </ul>\n'
        if (undefined(name='related') if l_0_related is missing else l_0_related):
            pass
            yield '  <h3 id="related-title">Related, by shared tags</h3>\n  <ul class="related">\n'
            l_1_loop = missing
            for (l_1_item, l_1_shared), l_1_loop in LoopContext((undefined(name='related') if l_0_related is missing else l_0_related), undefined):
                _loop_vars = {}
                pass
                yield '<li><a href="'
                yield escape((undefined(name='root') if l_0_root is missing else l_0_root))
                yield escape(environment.getattr(l_1_item, 'slug'))
                yield '/">'
                yield escape(environment.getattr(l_1_item, 'title'))
                yield '</a> <span class="meta">('
                l_2_loop = missing
                for l_2_tag, l_2_loop in LoopContext(l_1_shared, undefined):
                    _loop_vars = {}
                    pass
                    yield '#'
                    yield escape(l_2_tag)
                    yield escape((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 14 in 'partials/neighbours.html' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_tag = missing
                yield ')</span></li>'
            l_1_loop = l_1_item = l_1_shared = missing
            yield '  </ul>\n'
        yield '</nav>\n'

blocks = {}
debug_info = '1=16&4=19&7=22&8=38&11=55&14=59'
# Generated by `make templates` from templates/partials/neighbours.html: do not edit.
