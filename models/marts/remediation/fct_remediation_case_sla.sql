{#- Every remediation case measured against its service level: the owner team and SLA of its rule
    (dim_mvl_rules), when it is due, whether it is overdue (open past its due date at the factory's
    as-of time) or was resolved within it, and how long it took to resolve. The remediation
    queue and the semantic layer's case metrics read it. -#}
with

cases as (
    select * from {{ ref('fct_remediation_cases') }}
),

rules as (
    select * from {{ ref('dim_mvl_rules') }}
),

measured as (
    select
        cases.case_id,
        cases.record_id,
        cases.rule_name,
        rules.severity,
        rules.owner_team,
        rules.sla_days,
        cases.opened_at,
        cases.opened_at + to_days(rules.sla_days) as sla_due_at,
        cases.resolved_at,
        cases.resolution,
        cases.case_status
    from cases
    left join rules on cases.rule_name = rules.rule_name
),

final as (
    select
        *,
        case_status = 'open' and {{ factory_as_of() }} > sla_due_at as is_overdue,
        case when case_status = 'resolved' then resolved_at <= sla_due_at end as is_resolved_within_sla,
        date_diff('second', opened_at, resolved_at) / 86400.0 as days_to_resolution
    from measured
)

select * from final
