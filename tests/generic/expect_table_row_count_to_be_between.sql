{#- Expectation: the number of rows (meeting row_condition; per group with group_by) lies between
    min_value and max_value (inclusive unless strictly; give one or both). Without group_by an empty
    table counts 0 rows; with it, a group without rows does not exist. Fails with one row per
    failing group (or the table) and its row count. Arguments: min_value, max_value, group_by
    (optional list of columns), row_condition (optional filter), strictly (default false). -#}
{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ expectation_aggregate_failures(model, "count(*)", min_value, max_value, group_by, row_condition, strictly) }}
{% endtest %}
