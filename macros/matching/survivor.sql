{#- Aggregate: the value of the first row, in the given order, among the rows where a field is
    present. The golden record's survivorship rules are written with it. -#}
{% macro survivor(value_expr, order_by, present_expr=none) -%}
    first({{ value_expr }} order by {{ order_by }}) filter (where {{ present_expr or value_expr }} is not null)
{%- endmacro %}
