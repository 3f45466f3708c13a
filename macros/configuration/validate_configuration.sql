{#- Stops the build with one message listing every problem with the configuration, each naming the
    var and the rule (see docs/configuration.md). static_only: only what can be seen without the
    warehouse (configuration_problems; the rule macros check this much whenever they are used, at
    parse time too). Otherwise, as the project's on-run-start hook, also what needs the warehouse
    and the project's graph (warehouse_configuration_problems), and a warning for each var given
    on the command line that the project does not declare but that looks like one it does. -#}
{% macro validate_configuration(static_only=false) -%}
    {%- set problems = configuration_problems() -%}
    {%- if execute and not static_only and not problems -%}
        {%- do problems.extend(warehouse_configuration_problems()) -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Lead Factory configuration: " ~ problems | length ~ " problem" ~ ("s" if problems | length > 1 else "")
            ~ " (in dbt_project.yml or --vars; see docs/configuration.md):\n  - " ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
    {%- if execute and not static_only -%}
        {%- do warn_unknown_vars() -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
