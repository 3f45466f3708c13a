{#- A postal or ZIP code as compared and stored: cleaned (clean_text), upper-cased, without spaces
    or dashes ("sw1a 1aa" -> "SW1A1AA", "90210-1234" -> "902101234"); null when nothing is left.
    Argument: expr (the raw value). -#}
{% macro postal_code(expr) -%}
    nullif(upper(regexp_replace({{ clean_text(expr) }}, '[\s\-]', '', 'g')), '')
{%- endmacro %}
