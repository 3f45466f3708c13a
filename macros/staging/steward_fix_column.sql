{#- The record column a steward's fix of a field sets: the field's own column, except country,
    whose fix is typed like a landed country (country_raw) and derives country_code again.
    Argument: field (a name in var steward_fixable_fields). -#}
{% macro steward_fix_column(field) -%}
    {{ return('country_raw' if field == 'country' else field) }}
{%- endmacro %}
