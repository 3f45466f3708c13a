{#- The SQL condition "expression lies between min_value and max_value": bounds inclusive unless
    strictly, either bound optional (but not both). Null when the expression is null. -#}
{% macro expectation_between_condition(expression, min_value=none, max_value=none, strictly=false) %}
{%- if execute and min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error("Give min_value, max_value or both.") }}
{%- endif -%}
{%- set or_equal = "" if strictly else "=" -%}
(
    {%- if min_value is not none %}{{ expression }} >{{ or_equal }} {{ min_value }}{% endif %}
    {%- if min_value is not none and max_value is not none %} and {% endif %}
    {%- if max_value is not none %}{{ expression }} <{{ or_equal }} {{ max_value }}{% endif -%}
)
{%- endmacro %}
