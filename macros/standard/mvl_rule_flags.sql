{#- One boolean column per Minimum Viable Lead rule, passes_<rule>: true when the record meets the
    rule's condition, false when it does not or the condition is unknown (null). For a select list.
    Only the rules with the given remedy when remedy is given (e.g. 'enrichment'). -#}
{% macro mvl_rule_flags(remedy=none) -%}
    {%- set rules = mvl_rules() if remedy is none else mvl_rules() | selectattr('remedy', 'equalto', remedy) | list -%}
    {%- for rule in rules %}
    coalesce(({{ rule['condition'] }}), false) as passes_{{ rule['name'] }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
