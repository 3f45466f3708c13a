{#- The moment the lifecycle and the remediation queue are measured at (ages, SLA due dates,
    staleness), as a SQL timestamp: var lifecycle_as_of when set (YYYY-MM-DD, to replay a day),
    else the time the dbt invocation started (UTC). -#}
{% macro factory_as_of() -%}
    {%- if var('lifecycle_as_of', '') -%}
    '{{ var("lifecycle_as_of") }}'::timestamp
    {%- else -%}
    {{ build_started_at() }}
    {%- endif -%}
{%- endmacro %}
