{#- The Minimum Viable Lead rules in force, published for BI tools to join to (rule_name). -#}
with

rules as (
    {{ mvl_rule_rows() }}
),

final as (
    select
        rule_name,
        rule_order,
        description,
        severity,
        remedy,
        owner_team,
        sla_days,
        remediation_hint,
        condition_sql,
        fields,
        'passes_' || rule_name as flag_column
    from rules
)

select * from final
