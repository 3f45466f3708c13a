{#- The Minimum Viable Lead rules in force as SQL rows (a values list with named columns), for the
    published rules table and for joins: rule_order, rule_name, description, severity, remedy,
    owner_team, sla_days, remediation_hint, condition_sql, fields (the record fields it reads). -#}
{% macro mvl_rule_rows() -%}
    select * from (
        values
        {%- for rule in mvl_rules() %}
        (
            {{ loop.index }},
            '{{ rule["name"] }}',
            '{{ rule["description"] | replace("'", "''") }}',
            '{{ rule["severity"] }}',
            '{{ rule["remedy"] }}',
            '{{ rule["owner_team"] }}',
            {{ rule["sla_days"] | int }},
            '{{ rule["remediation_hint"] | replace("'", "''") }}',
            '{{ rule["condition"] | replace("'", "''") }}',
            [{% for field in rule.get('fields') or [] %}'{{ field }}'{{ ", " if not loop.last }}{% endfor %}]::varchar []
        ){{ "," if not loop.last }}
        {%- endfor %}
    ) as rules (
        rule_order, rule_name, description, severity, remedy, owner_team, sla_days, remediation_hint,
        condition_sql, fields
    )
{%- endmacro %}
