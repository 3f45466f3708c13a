{#- Expectation: every value's length (characters) lies between min_value and max_value (inclusive
    unless strictly; give one or both); nulls are ignored. Fails with every row outside the range.
    Arguments: column_name, min_value, max_value, row_condition (optional filter), strictly (default
    false), mostly (optional, this project's extension, default 1). -#}
{% test expect_column_value_lengths_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false, mostly=1) %}
{{ expectation_row_failures(
    model,
    expectation_between_condition(dbt.length(column_name), min_value, max_value, strictly),
    row_condition,
    mostly
) }}
{% endtest %}
