{#- The moment the lifecycle and the remediation queue are measured at (ages, SLA due dates,
    staleness), as a SQL timestamp: var lifecycle_as_of when set (YYYY-MM-DD, to replay a day),
    else the time the dbt invocation started (UTC). A value that is not a date stops the build
    with a message naming the var (lifecycle_as_of_problem), before it reaches SQL. -#}
{% macro factory_as_of() -%}
    {%- set problem = lifecycle_as_of_problem(var('lifecycle_as_of', '')) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
    {%- if var('lifecycle_as_of', '') -%}
    '{{ var("lifecycle_as_of") }}'::timestamp
    {%- else -%}
    {{ build_started_at() }}
    {%- endif -%}
{%- endmacro %}
