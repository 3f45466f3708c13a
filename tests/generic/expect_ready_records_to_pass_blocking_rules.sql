{#- Expectation: the standard holds on what the factory publishes as ready. Every blocking rule of
    the Minimum Viable Lead in force is evaluated afresh from its declared condition (not from the
    model's own flags) on the rows whose status column is 'ready'; fails with each ready row and
    the blocking rule it breaks. Arguments: model, column_name (the status column),
    row_condition (optional filter, as in dbt_expectations). -#}
{% test expect_ready_records_to_pass_blocking_rules(model, column_name, row_condition=none) %}
{%- set blocking = mvl_rules() | selectattr('severity', 'equalto', 'blocking') | list -%}

{%- for rule in blocking %}
select record_id, '{{ rule["name"] }}' as broken_rule
from {{ model }}
where
    {{ column_name }} = 'ready'
    and not coalesce(({{ rule['condition'] }}), false)
    {% if row_condition %}and ({{ row_condition }}){% endif %}
{{ "union all" if not loop.last }}
{%- endfor %}
{%- if not blocking %}
select null as record_id, null as broken_rule where false
{%- endif %}

{% endtest %}
