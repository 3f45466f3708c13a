{#- Every problem the factory has found, as a case with a history, like a Case in a CRM: opened
    when a record first fails a rule, resolved when it no longer does, with how. Incremental and
    never rebuilt by --full-refresh (full_refresh: false): resolved cases are kept for good. -#}
{{ config(
    materialized='incremental',
    unique_key='case_id',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

classified as (
    select * from {{ ref('int_leads_classified') }}
),

milestones as (
    select * from {{ ref('int_lead_milestones_accumulated') }}
),

rules as (
    {{ mvl_rule_rows() }}
),

failures as (
    {{ mvl_rule_failures('classified') }}
),

current_problems as (
    -- Problems of records still in play: a retired or erased record's problems are closed.
    select
        failures.record_id || '|' || failures.rule_name as problem_key,
        failures.record_id,
        failures.rule_name,
        {{ build_started_at() }} as first_seen_at
    from failures
    inner join milestones on failures.record_id = milestones.record_id
    where milestones.lifecycle_status not in ('retired', 'erased')
),

previous as (
    {%- if is_incremental() %}
    select * from {{ this }}
    {%- else %}
        select
            null::varchar as case_id,
            null::varchar as problem_key,
            null::varchar as record_id,
            null::varchar as rule_name,
            null::timestamp as opened_at,
            null::timestamp as last_seen_at,
            null::timestamp as resolved_at,
            null::varchar as resolution,
            null::varchar as case_status
        where false
    {%- endif %}
),

open_before as (
    select * from previous
    where resolved_at is null
),

opened as (
    select
        current_problems.problem_key || '@'
        || strftime(current_problems.first_seen_at, '%Y-%m-%dT%H:%M:%S.%f') as case_id,
        current_problems.problem_key,
        current_problems.record_id,
        current_problems.rule_name,
        current_problems.first_seen_at as opened_at,
        {{ build_started_at() }} as last_seen_at,
        null::timestamp as resolved_at,
        null::varchar as resolution,
        'open' as case_status
    from current_problems
    left join open_before on current_problems.problem_key = open_before.problem_key
    where open_before.problem_key is null
),

still_open as (
    select
        open_before.case_id,
        open_before.problem_key,
        open_before.record_id,
        open_before.rule_name,
        open_before.opened_at,
        {{ build_started_at() }} as last_seen_at,
        null::timestamp as resolved_at,
        null::varchar as resolution,
        'open' as case_status
    from open_before
    inner join current_problems on open_before.problem_key = current_problems.problem_key
),

resolved as (
    select
        open_before.case_id,
        open_before.problem_key,
        open_before.record_id,
        open_before.rule_name,
        open_before.opened_at,
        open_before.last_seen_at,
        {{ build_started_at() }} as resolved_at,
        case
            when classified.record_id is null then 'record_deleted'
            when milestones.lifecycle_status = 'erased' then 'record_erased'
            when milestones.retirement_reason = 'merged_duplicate' then 'record_merged_away'
            when milestones.lifecycle_status = 'retired' then 'record_retired'
            when rules.rule_name is null then 'rule_withdrawn'
            -- What changed one of the fields the rule reads (any field when the rule names none).
            when len(list_intersect(rules.fields, classified.fixed_fields)) > 0 then 'fixed_by_steward'
            when len(list_intersect(rules.fields, classified.enriched_fields)) > 0 then 'fixed_by_enrichment'
            when len(rules.fields) = 0 and len(classified.fixed_fields) > 0 then 'fixed_by_steward'
            when len(rules.fields) = 0 and len(classified.enriched_fields) > 0 then 'fixed_by_enrichment'
            else 'fixed_at_source'
        end as resolution,
        'resolved' as case_status
    from open_before
    left join current_problems on open_before.problem_key = current_problems.problem_key
    left join classified on open_before.record_id = classified.record_id
    left join milestones on open_before.record_id = milestones.record_id
    left join rules on open_before.rule_name = rules.rule_name
    where current_problems.problem_key is null
),

final as (
    select * from opened
    union all
    select * from still_open
    union all
    select * from resolved
)

select * from final
