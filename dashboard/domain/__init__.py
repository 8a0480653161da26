"""Domain rules with no I/O of their own, at the bottom of the layers: the scope rule, the
region reference and its aliases, agency naming. Anything may import them; they import only
``schemas`` and libraries."""
