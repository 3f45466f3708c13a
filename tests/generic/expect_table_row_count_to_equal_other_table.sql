{#- Expectation: the number of rows (meeting row_condition) equals factor times the number of rows
    of compare_model (meeting compare_row_condition, which defaults to row_condition); with group_by,
    per group, joined to compare_group_by (defaults to group_by), a group missing on one side
    counting 0. Fails with one row per differing group (or the table) and both counts. Arguments:
    compare_model (e.g. ref("other")), group_by, compare_group_by (optional lists of columns),
    factor (default 1), row_condition, compare_row_condition (optional filters). -#}
{% test expect_table_row_count_to_equal_other_table(model, compare_model, group_by=none, compare_group_by=none, factor=1, row_condition=none, compare_row_condition=none) %}
{%- set group_columns = [group_by] if group_by is string else (group_by or []) -%}
{%- set compare_group_columns = [compare_group_by] if compare_group_by is string else (compare_group_by or group_columns) -%}
{%- set compare_row_condition = compare_row_condition or row_condition -%}
{%- if execute and group_columns | length != compare_group_columns | length -%}
    {{ exceptions.raise_compiler_error("group_by and compare_group_by must name as many columns.") }}
{%- endif %}
with model_counts as (

    select
        {%- for column in group_columns %}
        {{ column }} as group_{{ loop.index }},
        {%- endfor %}
        count(*) as row_count
    from {{ model }}
    {%- if row_condition %}
    where {{ row_condition }}
    {%- endif %}
    {%- if group_columns %}
    group by {{ group_columns | join(", ") }}
    {%- endif %}

),

compare_counts as (

    select
        {%- for column in compare_group_columns %}
        {{ column }} as group_{{ loop.index }},
        {%- endfor %}
        count(*) * {{ factor }} as expected_row_count
    from {{ compare_model }}
    {%- if compare_row_condition %}
    where {{ compare_row_condition }}
    {%- endif %}
    {%- if compare_group_columns %}
    group by {{ compare_group_columns | join(", ") }}
    {%- endif %}

),

compared as (

    select
        {%- for column in group_columns %}
        coalesce(model_counts.group_{{ loop.index }}, compare_counts.group_{{ loop.index }}) as group_{{ loop.index }},
        {%- endfor %}
        coalesce(model_counts.row_count, 0) as row_count,
        coalesce(compare_counts.expected_row_count, 0) as expected_row_count
    from model_counts
    full outer join compare_counts
        on
        {%- for column in group_columns %}
        model_counts.group_{{ loop.index }} is not distinct from compare_counts.group_{{ loop.index }}
        {%- if not loop.last %} and{% endif %}
        {%- else %} true
        {%- endfor %}

)

select *
from compared
where row_count != expected_row_count

{% endtest %}
