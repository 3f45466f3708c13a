{#- How every inbound record fared against every Minimum Viable Lead rule, counted per arrival day,
    door and country: the semantic layer's rule metrics (failure rate per rule, by door, country
    and time) and rpt_mvl_rule_failures read it. A rule added to the declaration appears here with
    no other change. -#}
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

results as (
    select
        classified.arrived_at::date as arrival_date,
        classified.source_system,
        classified.lead_source,
        classified.source_detail,
        classified.country_code,
        rules.rule_name,
        rules.severity,
        rules.owner_team,
        failures.record_id is not null as is_failing
    from classified
    cross join rules
    left join failures
        on classified.record_id = failures.record_id and rules.rule_name = failures.rule_name
),

final as (
    select
        concat_ws(
            '|', arrival_date, source_system, lead_source, source_detail, country_code, rule_name
        ) as result_key,
        arrival_date,
        source_system,
        lead_source,
        source_detail,
        country_code,
        rule_name,
        severity,
        owner_team,
        count(*) as records_evaluated,
        count(*) filter (where is_failing) as records_failing
    from results
    group by all
)

select * from final
