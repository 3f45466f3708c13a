{#- How often each Minimum Viable Lead rule fails, per source system: the scorecard's rule view,
    summed from the daily rule results. -#}
with

daily as (
    select * from {{ ref('fct_rule_results_daily') }}
),

rules as (
    select * from {{ ref('dim_mvl_rules') }}
),

by_source as (
    select
        rule_name,
        source_system,
        sum(records_evaluated)::bigint as records_evaluated,
        sum(records_failing)::bigint as records_failing
    from daily
    group by rule_name, source_system
),

final as (
    select
        rules.rule_name || '|' || by_source.source_system as rule_source_key,
        rules.rule_name,
        rules.rule_order,
        rules.severity,
        rules.owner_team,
        by_source.source_system,
        by_source.records_evaluated,
        by_source.records_failing,
        by_source.records_failing / by_source.records_evaluated as failure_rate
    from by_source
    inner join rules on by_source.rule_name = rules.rule_name
)

select * from final
