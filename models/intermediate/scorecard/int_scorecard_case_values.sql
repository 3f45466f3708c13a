{#- The scorecard's remediation metrics as measured now, overall and per owner team: open and
    overdue cases, the share of resolved cases resolved within their SLA and the median days to
    resolution (the semantic layer's metrics of the same names, over fct_remediation_case_sla). -#}
with

cases as (
    select * from {{ ref('fct_remediation_case_sla') }}
),

sliced as (
    -- Every case once per breakdown: the whole factory and its owner team.
    select
        'all' as dimension_name,
        'all' as dimension_value,
        *
    from cases
    union all
    select
        'owner_team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        *
    from cases
),

grouped as (
    select
        dimension_name,
        dimension_value,
        count(*) as cases,
        count(*) filter (where case_status = 'open') as open_cases,
        count(*) filter (where is_overdue) as overdue_cases,
        count(*) filter (where case_status = 'resolved') as resolved_cases,
        count(*) filter (where is_resolved_within_sla) as resolved_within_sla,
        median(days_to_resolution) as median_days_to_resolution
    from sliced
    group by dimension_name, dimension_value
),

final as (
    select
        'open_cases' as metric_name,
        dimension_name,
        dimension_value,
        open_cases::double as metric_value,
        cases as observations
    from grouped
    union all
    select
        'overdue_cases' as metric_name,
        dimension_name,
        dimension_value,
        overdue_cases::double as metric_value,
        open_cases as observations
    from grouped
    union all
    select
        'share_resolved_within_sla' as metric_name,
        dimension_name,
        dimension_value,
        resolved_within_sla / nullif(resolved_cases, 0) as metric_value,
        resolved_cases as observations
    from grouped
    union all
    select
        'median_days_to_resolution' as metric_name,
        dimension_name,
        dimension_value,
        median_days_to_resolution as metric_value,
        resolved_cases as observations
    from grouped
)

select * from final
