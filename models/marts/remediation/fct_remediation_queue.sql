{#- The remediation queue: the open cases, each with its owner team, priority, suggested fix, age
    and SLA, and what a person needs to work it. Priority scores the lead's value (its source's
    value tier), its recency and the rule's severity: P1 at 4 or more points, P2 at 2 or 3, else P3. -#}
with

cases as (
    select * from {{ ref('fct_remediation_case_sla') }}
),

rules as (
    select * from {{ ref('dim_mvl_rules') }}
),

classified as (
    select * from {{ ref('int_leads_classified') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

lead_sources as (
    select * from {{ ref('lead_sources') }}
),

open_cases as (
    select
        cases.case_id,
        cases.record_id,
        cases.rule_name,
        rules.severity,
        rules.remedy,
        rules.owner_team,
        rules.remediation_hint,
        cases.opened_at,
        cases.sla_due_at,
        cases.is_overdue,
        classified.source_system,
        classified.lead_source,
        classified.source_detail,
        classified.first_name,
        classified.last_name,
        classified.email,
        classified.company_name,
        classified.country_code,
        classified.arrived_at,
        coalesce(lead_sources.value_tier, 'low') as value_tier,
        date_diff('day', cases.opened_at, {{ factory_as_of() }}) as age_days,
        date_diff('day', classified.arrived_at, {{ factory_as_of() }}) as lead_age_days,
        account_matches.candidate_account_id,
        account_matches.runner_up_account_id
    from cases
    inner join rules on cases.rule_name = rules.rule_name
    inner join classified on cases.record_id = classified.record_id
    left join lead_sources on classified.lead_source = lead_sources.lead_source
    left join account_matches on cases.record_id = account_matches.record_id
    where cases.case_status = 'open'
),

scored as (
    select
        *,
        case value_tier when 'high' then 2 when 'medium' then 1 else 0 end
        + case when lead_age_days <= 30 then 2 when lead_age_days <= 90 then 1 else 0 end
        + case when severity = 'blocking' then 1 else 0 end as priority_points
    from open_cases
),

final as (
    select
        scored.case_id,
        scored.record_id,
        scored.rule_name,
        scored.severity,
        scored.remedy,
        scored.owner_team,
        case
            when scored.priority_points >= 4 then 'P1'
            when scored.priority_points >= 2 then 'P2'
            else 'P3'
        end as priority,
        scored.priority_points,
        case
            when scored.rule_name = 'account_resolved' and scored.runner_up_account_id is not null
                then
                    'Choose between account ' || scored.candidate_account_id || ' ('
                    || coalesce(candidate.account_name, '?') || ') and account ' || scored.runner_up_account_id
                    || ' ('
                    || coalesce(runner_up.account_name, '?')
                    || '), and record a lead_account decision in reviews/.'
            else scored.remediation_hint
        end as suggested_fix,
        scored.candidate_account_id,
        scored.runner_up_account_id,
        scored.opened_at,
        scored.age_days,
        scored.sla_due_at,
        scored.is_overdue,
        scored.source_system,
        scored.lead_source,
        scored.value_tier,
        scored.source_detail,
        scored.first_name,
        scored.last_name,
        scored.email,
        scored.company_name,
        scored.country_code,
        scored.arrived_at
    from scored
    left join accounts as candidate on scored.candidate_account_id = candidate.account_id
    left join accounts as runner_up on scored.runner_up_account_id = runner_up.account_id
)

select * from final
