{#- The local part of a normalised email address with valid syntax (before the "@"); null otherwise. -#}
{% macro email_local_part(expr) -%}
    case when {{ is_valid_email_syntax(expr) }} then split_part({{ expr }}, '@', 1) end
{%- endmacro %}
