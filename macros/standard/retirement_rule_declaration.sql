{#- The declaration of the retirement rules (rule_declaration's result). -#}
{% macro retirement_rule_declaration() -%}
    {{ return(rule_declaration(
        'retirement_rules', 'retirement_rule_overrides', 'retirement_extra_rules',
        required=['name', 'description', 'condition'],
        spec={
            'name': {'type': 'identifier'},
            'description': {'type': 'string'},
            'condition': {'type': 'string'},
            'enabled': {'type': 'boolean'},
        },
    )) }}
{%- endmacro %}
