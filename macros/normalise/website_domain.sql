{#- The bare host of a website or URL: lower-cased, without scheme, "www.", port, path, query or
    fragment; null unless it looks like a domain (labels and a dot). -#}
{% macro website_domain(expr) -%}
    {%- set host -%}
        regexp_replace(
            regexp_replace(lower({{ clean_text(expr) }}), '^([a-z][a-z0-9+.-]*://)?(www\d?\.)?', ''),
            '[/:?#].*$',
            ''
        )
    {%- endset -%}
    case when regexp_full_match({{ host }}, '[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,63}') then {{ host }} end
{%- endmacro %}
