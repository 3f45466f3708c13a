{#- What is wrong with a value of var lifecycle_as_of, or none: it must be empty (the build's own
    time) or a calendar date written YYYY-MM-DD. Checked before the value is put into SQL. Argument:
    value (the var's value). -#}
{% macro lifecycle_as_of_problem(value) -%}
    {%- if value is none or value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- set parts = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})$', text) -%}
    {%- if parts -%}
        {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- if 1 <= month <= 12 and 1 <= day <= month_days[month - 1] -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endif -%}
    {{ return("lifecycle_as_of is '" ~ text ~ "'; expected a date written YYYY-MM-DD (e.g. 2027-01-31), or empty for the build's own time") }}
{%- endmacro %}
