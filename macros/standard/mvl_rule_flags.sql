{#- One boolean column per Minimum Viable Lead rule, passes_<rule>: true when the record meets the
    rule's condition, false when it does not or the condition is unknown (null). For a select list. -#}
{% macro mvl_rule_flags() -%}
    {%- for rule in mvl_rules() %}
    coalesce(({{ rule['condition'] }}), false) as passes_{{ rule['name'] }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
