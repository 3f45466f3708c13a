{#- How often each Minimum Viable Lead rule fails, per source system: the scorecard's rule view. A
    rule added to the declaration appears here with no other change. -#}
with

classified as (
    select * from {{ ref('int_leads_classified') }}
),

rules as (
    select * from {{ ref('dim_mvl_rules') }}
),

failures as (
    {{ mvl_rule_failures('classified') }}
),

evaluated as (
    select
        source_system,
        count(*) as records_evaluated
    from classified
    group by source_system
),

failed as (
    select
        classified.source_system,
        failures.rule_name,
        count(*) as records_failing
    from failures
    inner join classified on failures.record_id = classified.record_id
    group by classified.source_system, failures.rule_name
),

final as (
    select
        rules.rule_name || '|' || evaluated.source_system as rule_source_key,
        rules.rule_name,
        rules.rule_order,
        rules.severity,
        rules.owner_team,
        evaluated.source_system,
        evaluated.records_evaluated,
        coalesce(failed.records_failing, 0) as records_failing,
        coalesce(failed.records_failing, 0) / evaluated.records_evaluated as failure_rate
    from rules
    cross join evaluated
    left join failed
        on rules.rule_name = failed.rule_name and evaluated.source_system = failed.source_system
)

select * from final
