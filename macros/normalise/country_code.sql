{#- The ISO 3166 alpha-2 code of a country written as a name, code or alias in any case, with or
    without accents and punctuation ("Deutschland", "U.K.", "usa", "DEU"); null when unknown.
    Argument: expr (SQL giving the country as typed). -#}
{% macro country_code(expr) -%}
    {{ reference_lookup('country', lookup_key(expr)) }}
{%- endmacro %}
