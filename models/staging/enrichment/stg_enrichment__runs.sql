{#- The enrichment step's runs: what each run asked, took from the cache and got back. -#}
with

runs as (
    select * from {{ source('enrichment', 'enrichment_runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        providers,
        ttl_days,
        requests,
        from_cache,
        calls,
        hits,
        misses,
        failed,
        malformed,
        interrupted
    from runs
)

select * from final
