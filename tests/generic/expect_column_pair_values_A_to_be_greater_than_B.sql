{#- Expectation: in every row, column_A is greater than column_B (or equal, with or_equal); rows
    where either is null are ignored. Fails with every row where it is not. Arguments: column_A,
    column_B (columns or SQL expressions), or_equal (default false), row_condition (optional
    filter), mostly (optional, this project's extension, default 1). -#}
{% test expect_column_pair_values_A_to_be_greater_than_B(model, column_A, column_B, or_equal=false, row_condition=none, mostly=1) %}
{%- set operator = ">=" if or_equal else ">" -%}
{{ expectation_row_failures(model, "(" ~ column_A ~ ") " ~ operator ~ " (" ~ column_B ~ ")", row_condition, mostly) }}
{% endtest %}
