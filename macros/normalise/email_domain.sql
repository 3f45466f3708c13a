{#- The domain of a normalised email address with valid syntax (after the "@"); null otherwise. -#}
{% macro email_domain(expr) -%}
    case when {{ is_valid_email_syntax(expr) }} then split_part({{ expr }}, '@', 2) end
{%- endmacro %}
