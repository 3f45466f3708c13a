{#- One row per record and rule it fails, from a relation with record_id and passes_<rule> columns:
    record_id and rule_name. Argument: relation (a ref or CTE name). -#}
{% macro mvl_rule_failures(relation) -%}
    {%- for rule in mvl_rules() %}
    select record_id, '{{ rule["name"] }}' as rule_name from {{ relation }} where not passes_{{ rule["name"] }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
