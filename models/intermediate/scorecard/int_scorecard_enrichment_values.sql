{#- The scorecard's enrichment metrics as measured now: the fill rate after enrichment, overall
    and per field, door and country (over fct_field_fill_daily), and the hit rate and cache share
    of every enrichment run so far (over rpt_enrichment_runs); the semantic layer's metrics of the
    same names. -#}
with

fills as (
    select * from {{ ref('fct_field_fill_daily') }}
),

runs as (
    select * from {{ ref('rpt_enrichment_runs') }}
),

sliced as (
    -- Every day's fill counts once per breakdown: the whole factory, field, door and country.
    select
        'all' as dimension_name,
        'all' as dimension_value,
        *
    from fills
    union all
    select
        'field_name' as dimension_name,
        field_name as dimension_value,
        *
    from fills
    union all
    select
        'source_system' as dimension_name,
        source_system as dimension_value,
        *
    from fills
    union all
    select
        'country_code' as dimension_name,
        coalesce(country_code, 'unknown') as dimension_value,
        *
    from fills
),

fills_grouped as (
    select
        dimension_name,
        dimension_value,
        sum(records) as records,
        sum(filled_after) as filled_after
    from sliced
    group by dimension_name, dimension_value
),

runs_total as (
    select
        coalesce(sum(hits), 0) as hits,
        coalesce(sum(calls_made), 0) as calls_made,
        coalesce(sum(calls_saved_by_cache), 0) as calls_saved
    from runs
),

final as (
    select
        'fill_rate_after' as metric_name,
        dimension_name,
        dimension_value,
        (filled_after / records)::double as metric_value,
        records::bigint as observations
    from fills_grouped
    union all
    select
        'enrichment_hit_rate' as metric_name,
        'all' as dimension_name,
        'all' as dimension_value,
        hits / nullif(calls_made, 0) as metric_value,
        calls_made::bigint as observations
    from runs_total
    union all
    select
        'cache_share' as metric_name,
        'all' as dimension_name,
        'all' as dimension_value,
        calls_saved / nullif(calls_saved + calls_made, 0) as metric_value,
        (calls_saved + calls_made)::bigint as observations
    from runs_total
)

select * from final
