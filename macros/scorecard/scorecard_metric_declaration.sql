{#- The declaration of the scorecard's headline metrics (rule_declaration's result). -#}
{% macro scorecard_metric_declaration() -%}
    {{ return(rule_declaration(
        'scorecard_metrics', 'scorecard_metric_overrides', 'scorecard_extra_metrics',
        required=['name', 'unit', 'owner_team', 'direction', 'target'],
        spec={
            'name': {'type': 'identifier'},
            'unit': {'type': 'string', 'values': ['share', 'count', 'days']},
            'owner_team': {'type': 'string', 'values': ['marketing_ops', 'sales_ops', 'data_ops']},
            'direction': {'type': 'string', 'values': ['higher', 'lower']},
            'target': {'type': 'number'},
            'tolerance': {'type': 'number'},
            'enabled': {'type': 'boolean'},
        },
        noun='metric',
    )) }}
{%- endmacro %}
