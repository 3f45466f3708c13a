{#- Every run of the enrichment step: what it asked, what the cache saved and what came back. -#}
with

runs as (
    select * from {{ ref('stg_enrichment__runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        providers,
        ttl_days,
        requests,
        from_cache as calls_saved_by_cache,
        calls as calls_made,
        hits,
        misses,
        failed,
        malformed,
        interrupted,
        from_cache / nullif(from_cache + calls, 0) as cache_share
    from runs
)

select * from final
