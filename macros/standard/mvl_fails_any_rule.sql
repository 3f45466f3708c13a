{#- A SQL boolean: true when the record fails at least one Minimum Viable Lead rule in force with
    the given remedy (its condition is false or unknown); false when there is no such rule.
    Evaluated from the declared conditions, over a relation with the columns they read. -#}
{% macro mvl_fails_any_rule(remedy) -%}
    {%- set rules = mvl_rules() | selectattr('remedy', 'equalto', remedy) | list -%}
    {%- if rules -%}
    ({% for rule in rules %}not coalesce(({{ rule['condition'] }}), false){{ " or " if not loop.last }}{% endfor %})
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}
