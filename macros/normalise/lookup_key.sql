{#- The key under which free-text values are looked up in reference data (countries, lead
    sources): lower case, accents stripped, every run of other characters one space, trimmed. -#}
{% macro lookup_key(expr) -%}
    nullif(trim(regexp_replace(lower(strip_accents({{ expr }})), '[^a-z0-9]+', ' ', 'g')), '')
{%- endmacro %}
