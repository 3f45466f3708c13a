{#- Expectation: in every row, column_A equals column_B; rows where either is null are ignored.
    Fails with every row where they differ. Arguments: column_A, column_B (columns or SQL
    expressions), row_condition (optional filter), mostly (optional, this project's extension,
    default 1). -#}
{% test expect_column_pair_values_to_be_equal(model, column_A, column_B, row_condition=none, mostly=1) %}
{{ expectation_row_failures(model, "(" ~ column_A ~ ") = (" ~ column_B ~ ")", row_condition, mostly) }}
{% endtest %}
