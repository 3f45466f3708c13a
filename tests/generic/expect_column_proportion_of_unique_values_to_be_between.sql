{#- Expectation: distinct values / non-null values (nulls count in neither; per group with group_by)
    lies between min_value and max_value (inclusive unless strictly; give one or both); e.g. 1, 2, 2,
    3 gives 0.75. A column with no non-null values is not checked. Fails with one row per failing
    group (or the table) and its proportion. Arguments: column_name, min_value, max_value, group_by
    (optional list of columns), row_condition (optional filter), strictly (default false). -#}
{% test expect_column_proportion_of_unique_values_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{%- set expression -%}
cast(count(distinct {{ column_name }}) as double precision) / nullif(count({{ column_name }}), 0)
{%- endset -%}
{{ expectation_aggregate_failures(model, expression, min_value, max_value, group_by, row_condition, strictly) }}
{% endtest %}
