{#- Expectation: every value lies between min_value and max_value (inclusive unless strictly; give
    one or both); nulls are ignored. Fails with every row outside the range. Arguments:
    column_name, min_value, max_value (numbers or SQL expressions), row_condition (optional filter),
    strictly (default false), mostly (optional, this project's extension, default 1). -#}
{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false, mostly=1) %}
{{ expectation_row_failures(
    model,
    expectation_between_condition(column_name, min_value, max_value, strictly),
    row_condition,
    mostly
) }}
{% endtest %}
