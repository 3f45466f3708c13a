{#- Expectation: the latest value of the date/timestamp column (over rows meeting row_condition,
    ignoring values in the future) is no older than interval datepart units before now. Fails with
    one row (the latest value and now) when it is older, or when there is no such row. A timestamp
    without time zone is read as UTC. Arguments: column_name, datepart (e.g. day, hour), interval
    (integer), row_condition (optional filter). -#}
{% test expect_row_values_to_have_recent_data(model, column_name, datepart, interval, row_condition=none) %}
{%- set column = namespace(has_time_zone=false) -%}
{%- if execute -%}
    {%- for relation_column in adapter.get_columns_in_relation(model) -%}
        {%- if relation_column.name | lower == column_name | lower and "TIME ZONE" in relation_column.dtype | upper -%}
            {%- set column.has_time_zone = true -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- if column.has_time_zone -%}
    {%- set value = column_name -%}
    {%- set now = "current_timestamp" -%}
{%- else -%}
    {%- set value = "cast(" ~ column_name ~ " as timestamp)" -%}
    {%- set now = "cast(timezone('UTC', current_timestamp) as timestamp)" -%}
{%- endif %}

with latest as (

    select max({{ value }}) as latest_value
    from {{ model }}
    where
        {{ value }} <= {{ now }}
        {%- if row_condition %}
        and ({{ row_condition }})
        {%- endif %}

)

select
    latest_value,
    {{ now }} as checked_at
from latest
where latest_value is null or latest_value < {{ dbt.dateadd(datepart, (interval | int) * -1, now) }}

{% endtest %}
