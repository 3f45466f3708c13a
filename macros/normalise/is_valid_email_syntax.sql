{#- True when a normalised email address has valid syntax: one "@", an allowed local part and a
    domain of dot-separated labels ending in an alphabetic top-level domain (the WHATWG HTML rule,
    plus a TLD). False for null. -#}
{% macro is_valid_email_syntax(expr) -%}
    coalesce(
        length({{ expr }}) <= 254
        and regexp_full_match(
            {{ expr }},
            '[a-z0-9.!#$%&''*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}'
        ),
        false
    )
{%- endmacro %}
