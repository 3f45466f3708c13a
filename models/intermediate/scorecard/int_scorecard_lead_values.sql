{#- The scorecard's lead metrics as measured now, overall and per door and country: records
    ingested, the share ready and rejected, the duplicate rate and the share matched to an account
    (the semantic layer's metrics of the same names, over dim_leads). -#}
with

leads as (
    select * from {{ ref('dim_leads') }}
),

sliced as (
    -- Every record once per breakdown: the whole factory, its source system, lead source, country.
    select
        'all' as dimension_name,
        'all' as dimension_value,
        *
    from leads
    union all
    select
        'source_system' as dimension_name,
        source_system as dimension_value,
        *
    from leads
    union all
    select
        'lead_source' as dimension_name,
        coalesce(lead_source, 'unknown') as dimension_value,
        *
    from leads
    union all
    select
        'country_code' as dimension_name,
        coalesce(country_code, 'unknown') as dimension_value,
        *
    from leads
),

grouped as (
    select
        dimension_name,
        dimension_value,
        count(*) as records,
        count(*) filter (where mvl_status = 'ready') as records_ready,
        count(*) filter (where mvl_status = 'rejected') as records_rejected,
        count(*) filter (where is_duplicate) as duplicate_records,
        count(*) filter (where account_id is not null) as records_matched_to_account
    from sliced
    group by dimension_name, dimension_value
),

final as (
    select
        'records_ingested' as metric_name,
        dimension_name,
        dimension_value,
        records::double as metric_value,
        records as observations
    from grouped
    union all
    select
        'share_ready' as metric_name,
        dimension_name,
        dimension_value,
        records_ready / records as metric_value,
        records as observations
    from grouped
    union all
    select
        'share_rejected' as metric_name,
        dimension_name,
        dimension_value,
        records_rejected / records as metric_value,
        records as observations
    from grouped
    union all
    select
        'duplicate_rate' as metric_name,
        dimension_name,
        dimension_value,
        duplicate_records / records as metric_value,
        records as observations
    from grouped
    union all
    select
        'share_matched_to_account' as metric_name,
        dimension_name,
        dimension_value,
        records_matched_to_account / records as metric_value,
        records as observations
    from grouped
)

select * from final
