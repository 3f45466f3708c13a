{#- The Minimum Viable Lead rules in force: var mvl_rules with var mvl_rule_overrides and
    var mvl_extra_rules applied (see rule_declaration). Stops the build, naming every problem, when
    the configuration has any (validate_configuration). -#}
{% macro mvl_rules() -%}
    {%- do validate_configuration(static_only=true) -%}
    {{ return(mvl_rule_declaration()['rules']) }}
{%- endmacro %}
