{#- Every change of a record's lifecycle status, read from the status snapshot: from what, to what
    and when (the build that saw it). A record's first version is a transition from null. -#}
with

versions as (
    select * from {{ ref('snp_lead_statuses') }}
),

ordered as (
    select
        record_id,
        lag(lifecycle_status) over (partition by record_id order by dbt_valid_from) as from_status,
        lifecycle_status as to_status,
        lag(mvl_status) over (partition by record_id order by dbt_valid_from) as from_mvl_status,
        mvl_status as to_mvl_status,
        retirement_reason,
        dbt_valid_from as changed_at
    from versions
),

final as (
    select
        record_id || '@' || strftime(changed_at, '%Y-%m-%dT%H:%M:%S.%f') as transition_id,
        record_id,
        from_status,
        to_status,
        from_mvl_status,
        to_mvl_status,
        retirement_reason,
        changed_at
    from ordered
    where from_status is null or from_status != to_status or from_mvl_status != to_mvl_status
)

select * from final
