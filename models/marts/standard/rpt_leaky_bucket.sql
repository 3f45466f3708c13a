{#- The leaky bucket: for each door a lead comes in by (its lead source, the form and landing page
    it was filled on, the upload file it came in), how many of its records fail the standard, which
    rule fails most, and its rank among doors of the same kind, worst first. -#}
with

classified as (
    select * from {{ ref('int_leads_classified') }}
),

form_submissions as (
    select * from {{ ref('stg_forms__submissions') }}
),

failures as (
    {{ mvl_rule_failures('classified') }}
),

doors as (
    -- Each record under every door it came in by.
    select
        'lead_source' as door_type,
        classified.lead_source as door,
        classified.record_id,
        classified.mvl_status,
        len(classified.failed_blocking_rules) > 0 as fails_blocking_rule
    from classified
    union all
    select
        'form' as door_type,
        coalesce(form_submissions.form_id, '(no form id)') as door,
        classified.record_id,
        classified.mvl_status,
        len(classified.failed_blocking_rules) > 0 as fails_blocking_rule
    from classified
    inner join form_submissions on classified.record_id = form_submissions.record_id
    union all
    select
        'landing_page' as door_type,
        coalesce(regexp_replace(form_submissions.page_url, '[?#].*$', ''), '(no page)') as door,
        classified.record_id,
        classified.mvl_status,
        len(classified.failed_blocking_rules) > 0 as fails_blocking_rule
    from classified
    inner join form_submissions on classified.record_id = form_submissions.record_id
    union all
    select
        'upload_file' as door_type,
        classified.source_file_path as door,
        classified.record_id,
        classified.mvl_status,
        len(classified.failed_blocking_rules) > 0 as fails_blocking_rule
    from classified
    where classified.source_system = 'upload'
),

door_totals as (
    select
        door_type,
        door,
        count(*) as records,
        count(*) filter (where fails_blocking_rule) as records_failing_blocking,
        count(*) filter (where mvl_status = 'ready') as records_ready,
        count(*) filter (where mvl_status = 'rejected') as records_rejected
    from doors
    group by door_type, door
),

door_rule_failures as (
    select
        doors.door_type,
        doors.door,
        failures.rule_name,
        count(*) as failing
    from doors
    inner join failures on doors.record_id = failures.record_id
    group by doors.door_type, doors.door, failures.rule_name
),

top_rules as (
    select
        door_type,
        door,
        rule_name as top_failing_rule,
        failing as top_failing_rule_records
    from door_rule_failures
    qualify row_number() over (partition by door_type, door order by failing desc, rule_name asc) = 1
),

final as (
    select
        door_totals.door_type || ':' || door_totals.door as door_key,
        door_totals.door_type,
        door_totals.door,
        door_totals.records,
        door_totals.records_ready,
        door_totals.records_rejected,
        door_totals.records_failing_blocking,
        door_totals.records_failing_blocking / door_totals.records as blocking_failure_rate,
        top_rules.top_failing_rule,
        top_rules.top_failing_rule_records,
        rank() over (
            partition by door_totals.door_type
            order by door_totals.records_failing_blocking / door_totals.records desc
        ) as failure_rate_rank,
        rank() over (
            partition by door_totals.door_type order by door_totals.records_failing_blocking desc
        ) as failing_records_rank
    from door_totals
    left join top_rules on door_totals.door_type = top_rules.door_type and door_totals.door = top_rules.door
)

select * from final
