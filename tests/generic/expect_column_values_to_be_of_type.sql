{#- Expectation: the column's data type, as the warehouse names it (DuckDB: VARCHAR, INTEGER, BIGINT,
    DOUBLE, DECIMAL(18,3), DATE, TIMESTAMP, TIMESTAMP WITH TIME ZONE, BOOLEAN ...), is column_type,
    compared case-insensitively and ignoring spaces. Fails with one row giving the actual type, also when the column
    does not exist. Arguments: column_name, column_type. -#}
{% test expect_column_values_to_be_of_type(model, column_name, column_type) %}
{%- if execute -%}
{%- set found = namespace(column_type=none) -%}
{%- for column in adapter.get_columns_in_relation(model) -%}
    {%- if column.name | upper == column_name | upper -%}
        {%- set found.column_type = column.dtype | upper -%}
    {%- endif -%}
{%- endfor %}

select
    '{{ column_name | replace("'", "''") }}' as column_name,
    {{ "'" ~ found.column_type ~ "'" if found.column_type else "cast(null as varchar)" }} as column_type,
    '{{ column_type | upper | replace("'", "''") }}' as expected_column_type
where {{ "false" if (found.column_type or "") | replace(" ", "") == column_type | upper | replace(" ", "") else "true" }}

{%- endif -%}
{% endtest %}
