{#- The leaky bucket, read for action: the doors that let the most bad leads in, worst first,
    with at least 20 records so one odd record does not top the list, and the rule to fix at each
    door. Compile with `dbt compile -s leaky_bucket` and run the SQL in target/compiled (or in a BI
    tool) against the warehouse. -#}
with

doors as (
    select * from {{ ref('rpt_leaky_bucket') }}
),

rules as (
    select * from {{ ref('dim_mvl_rules') }}
)

select
    doors.door_type,
    doors.door,
    doors.records,
    doors.records_failing_blocking,
    round(100 * doors.blocking_failure_rate, 1) as blocking_failure_pct,
    doors.top_failing_rule,
    rules.owner_team as top_rule_owner_team,
    rules.remediation_hint as what_to_fix
from doors
left join rules on doors.top_failing_rule = rules.rule_name
where doors.records >= 20
order by doors.records_failing_blocking desc, doors.blocking_failure_rate desc
limit 20
