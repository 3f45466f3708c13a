{#- Expectation: the column has no nulls. Fails with every null row (of those meeting row_condition).
    Arguments: column_name, row_condition (optional filter), mostly (optional, this project's
    extension: the least fraction of rows that must pass, default 1). -#}
{% test expect_column_values_to_not_be_null(model, column_name, row_condition=none, mostly=1) %}
{{ expectation_row_failures(model, column_name ~ " is not null", row_condition, mostly) }}
{% endtest %}
