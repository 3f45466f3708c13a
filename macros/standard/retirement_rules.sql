{#- The retirement rules in force: var retirement_rules with var retirement_rule_overrides and
    var retirement_extra_rules applied (see rule_declaration). Stops the build, naming every
    problem, when the configuration has any (validate_configuration). -#}
{% macro retirement_rules() -%}
    {%- do validate_configuration(static_only=true) -%}
    {{ return(retirement_rule_declaration()['rules']) }}
{%- endmacro %}
