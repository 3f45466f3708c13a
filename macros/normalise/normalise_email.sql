{#- An email address as compared and stored: cleaned, lower-cased, without a "mailto:" prefix or
    surrounding angle brackets. Syntax is not checked here (see is_valid_email_syntax). -#}
{% macro normalise_email(expr) -%}
    nullif(regexp_replace(lower({{ clean_text(expr) }}), '^(mailto:)?<?([^>]*)>?$', '\2'), '')
{%- endmacro %}
