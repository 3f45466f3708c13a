{#- The run's clock as a SQL timestamp literal (UTC): var factory_run_started_at when the main job
    passes it (the moment the run first started, kept when a killed run is resumed), else the time
    the current dbt invocation started. The same value in every model of one build, so the
    lifecycle, the remediation cases and the snapshots record each change at the run that first saw
    it, and a resumed run records what an uninterrupted one would. -#}
{% macro build_started_at() -%}
    {%- set clock = var('factory_run_started_at', '') -%}
    {%- set problem = factory_run_started_at_problem(clock) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
    {%- if clock -%}
    '{{ clock }}'::timestamp
    {%- else -%}
    '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'::timestamp
    {%- endif -%}
{%- endmacro %}
