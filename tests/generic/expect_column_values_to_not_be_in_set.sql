{#- Expectation: no value is one of value_set; nulls are ignored. Fails with every row whose value
    is in the set. Arguments: column_name, value_set (list), quote_values (default true: compare as
    string literals; false: write the values as given), row_condition (optional filter), mostly
    (optional, this project's extension, default 1). -#}
{% test expect_column_values_to_not_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none, mostly=1) %}
{%- set expression -%}
{{ column_name }} not in ({{ expectation_value_list(value_set, quote_values) }})
{%- endset -%}
{{ expectation_row_failures(model, expression, row_condition, mostly) }}
{% endtest %}
