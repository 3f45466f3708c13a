{#- The retirement rules in force: var retirement_rules with var retirement_rule_overrides and
    var retirement_extra_rules applied (see declared_rules). -#}
{% macro retirement_rules() -%}
    {{ return(declared_rules(
        'retirement_rules', 'retirement_rule_overrides', 'retirement_extra_rules',
        required=['name', 'description', 'condition'],
    )) }}
{%- endmacro %}
