"""The Streamlit app shell shared by every page.

Contract for page authors (see each module's docstring):

- ``context.get_context() -> Ctx``: language, frozen ``queries.Filters``, ``Store`` and the
  store ``version`` for this run, computed by the shell (``app.py``) from the sidebar and URL
  before the page runs. ``ctx.t(key)`` translates; ``ctx.num/pct/date`` format.
- ``context.request_filters(provinces=(...), ...)`` changes global filters from a page.
- ``cache.cached_query(fn, ctx, *args)``: ``fn(store, *args)`` cached per store version.
- ``components``: ``page_header``, ``metric_row``, ``download_buttons``, ``localised_table``.
- ``url_state``: pure URL <-> Filters parsing (no Streamlit).
"""
