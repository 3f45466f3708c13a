{#- The declaration of the Minimum Viable Lead rules (rule_declaration's result). -#}
{% macro mvl_rule_declaration() -%}
    {{ return(rule_declaration(
        'mvl_rules', 'mvl_rule_overrides', 'mvl_extra_rules',
        required=['name', 'description', 'severity', 'remedy', 'owner_team', 'sla_days', 'remediation_hint', 'condition'],
        spec={
            'name': {'type': 'identifier'},
            'description': {'type': 'string'},
            'severity': {'type': 'string', 'values': ['blocking', 'warning']},
            'remedy': {'type': 'string', 'values': ['enrichment', 'steward', 'reject']},
            'owner_team': {'type': 'string', 'values': ['marketing_ops', 'sales_ops', 'data_ops']},
            'sla_days': {'type': 'integer'},
            'remediation_hint': {'type': 'string'},
            'condition': {'type': 'string'},
            'fields': {'type': 'list', 'values': lead_record_columns() + ['country']},
            'enabled': {'type': 'boolean'},
        },
    )) }}
{%- endmacro %}
