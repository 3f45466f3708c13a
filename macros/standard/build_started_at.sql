{#- The time the current dbt invocation started (UTC), as a SQL timestamp literal: the same value in
    every model of one build, so the lifecycle and the remediation cases record each change at the
    build that first saw it. -#}
{% macro build_started_at() -%}
    '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'::timestamp
{%- endmacro %}
