{#- Shared by the row-level expectations: the rows (of those meeting row_condition) for which the
    expectation's boolean SQL expression is false. A row where the expression is null (e.g. a null
    value under a range check) is not checked: it neither fails nor counts. mostly is this
    project's extension (Great Expectations' "mostly"; dbt_expectations has no such argument):
    below 1, the failing rows are returned only when fewer than that fraction of the checked rows
    pass, so the test fails with all of its failing rows or not at all. -#}
{% macro expectation_row_failures(model, expression, row_condition=none, mostly=1) %}
{%- set is_valid_mostly = mostly is number and 0 <= mostly <= 1 -%}
{%- if execute and not is_valid_mostly -%}
    {{ exceptions.raise_compiler_error("mostly must be a number from 0 to 1, got: " ~ mostly) }}
{%- endif %}
with failing_rows as (

    select *
    from {{ model }}
    where
        not ({{ expression }})
        {%- if row_condition %}
        and ({{ row_condition }})
        {%- endif %}

)
{%- if is_valid_mostly and mostly < 1 %},

checked_rows as (

    select count(*) as n_checked
    from {{ model }}
    where
        ({{ expression }}) is not null
        {%- if row_condition %}
        and ({{ row_condition }})
        {%- endif %}

),

failing_count as (

    select count(*) as n_failing
    from failing_rows

)

select failing_rows.*
from failing_rows
cross join checked_rows
cross join failing_count
where checked_rows.n_checked - failing_count.n_failing < {{ mostly }} * checked_rows.n_checked
{%- else %}

select *
from failing_rows
{%- endif %}
{% endmacro %}
