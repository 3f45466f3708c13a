{#- What is wrong with a value of var factory_run_started_at, or none: it must be empty (the dbt
    invocation's own start) or a UTC time written YYYY-MM-DD HH:MM:SS with optional fractions of a
    second, as the main job passes it. Checked before the value is put into SQL. Argument: value (the
    var's value). -#}
{% macro factory_run_started_at_problem(value) -%}
    {%- if value is none or value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- if modules.re.match('^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$', text) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("factory_run_started_at is '" ~ text ~ "'; expected a UTC time written YYYY-MM-DD HH:MM:SS[.ffffff] (the main job sets it), or empty for the build's own time") }}
{%- endmacro %}
