{#- The Minimum Viable Lead rules in force: var mvl_rules with var mvl_rule_overrides and
    var mvl_extra_rules applied (see declared_rules), each checked for its attributes. -#}
{% macro mvl_rules() -%}
    {{ return(declared_rules(
        'mvl_rules', 'mvl_rule_overrides', 'mvl_extra_rules',
        required=['name', 'description', 'severity', 'remedy', 'owner_team', 'sla_days', 'remediation_hint', 'condition'],
        allowed={
            'severity': ['blocking', 'warning'],
            'remedy': ['enrichment', 'steward', 'reject'],
            'owner_team': ['marketing_ops', 'sales_ops', 'data_ops'],
        },
    )) }}
{%- endmacro %}
