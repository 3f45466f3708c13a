{#- Shared by the aggregate expectations: one row per group (or one row for the whole table) whose
    aggregate expression, over the rows meeting row_condition, is not between min_value and
    max_value. A null aggregate is not checked. Groups with no rows do not exist, so cannot fail. -#}
{% macro expectation_aggregate_failures(model, expression, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{%- set group_columns = [group_by] if group_by is string else (group_by or []) -%}
with aggregated as (

    select
        {%- for column in group_columns %}
        {{ column }},
        {%- endfor %}
        {{ expression }} as aggregate_value
    from {{ model }}
    {%- if row_condition %}
    where {{ row_condition }}
    {%- endif %}
    {%- if group_columns %}
    group by {{ group_columns | join(", ") }}
    {%- endif %}

)

select *
from aggregated
where not {{ expectation_between_condition("aggregate_value", min_value, max_value, strictly) }}
{% endmacro %}
