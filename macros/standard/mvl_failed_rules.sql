{#- A list of the names of the rules a record fails (in declared order), from its passes_<rule>
    columns; only rules of the given severity when severity is given ('blocking' or 'warning'). -#}
{% macro mvl_failed_rules(severity=none) -%}
    {%- set rules = mvl_rules() | selectattr('severity', 'in', [severity] if severity else ['blocking', 'warning']) | list -%}
    {%- if rules -%}
    coalesce(string_split(nullif(concat_ws(',',
        {%- for rule in rules %}
        case when not passes_{{ rule['name'] }} then '{{ rule['name'] }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ), ''), ','), []::varchar [])
    {%- else -%}
    []::varchar[]
    {%- endif -%}
{%- endmacro %}
