{#- Expectation: every value is one of value_set. A null is not in the set, so it fails too. Fails
    with every row whose value is not in the set. Arguments: column_name, value_set (list),
    quote_values (default true: compare as string literals; false: write the values as given),
    row_condition (optional filter), mostly (optional, this project's extension, default 1). -#}
{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none, mostly=1) %}
{%- set expression -%}
coalesce({{ column_name }} in ({{ expectation_value_list(value_set, quote_values) }}), false)
{%- endset -%}
{{ expectation_row_failures(model, expression, row_condition, mostly) }}
{% endtest %}
