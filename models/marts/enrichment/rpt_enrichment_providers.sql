{#- How each enrichment provider answers: every call made (one cache row per answer), the latest
    answer per request by status, the hit rate, and how many record fields its answers filled. -#}

with

cache as (
    select * from {{ source('enrichment', 'enrichment_cache') }}
),

latest as (
    select * from {{ ref('stg_enrichment__responses') }}
),

enriched as (
    select * from {{ ref('int_leads_enriched') }}
),

calls as (
    select
        provider,
        count(*) as calls_made,
        sum(attempts) as attempts_made,
        count(*) filter (where status = 'error') as calls_failed,
        max(requested_at) as last_called_at
    from cache
    group by provider
),

answers as (
    select
        provider,
        count(*) as requests_answered,
        count(*) filter (where status = 'hit') as hits,
        count(*) filter (where status = 'miss') as misses,
        count(*) filter (where status = 'error') as errors,
        count(*) filter (where status = 'malformed') as malformed
    from latest
    group by provider
),

supplied as (
    {%- for field in enrichment_fields() %}
        select
            {{ field }}_source as source_name,
            count(*) as fields_supplied
        from enriched
        group by {{ field }}_source
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

supplied_by_provider as (
    select
        source_name,
        sum(fields_supplied) as fields_supplied
    from supplied
    group by source_name
),

final as (
    select
        calls.provider,
        calls.calls_made,
        calls.attempts_made,
        calls.calls_failed,
        calls.last_called_at,
        answers.requests_answered,
        answers.hits,
        answers.misses,
        answers.errors,
        answers.malformed,
        answers.hits / nullif(answers.requests_answered, 0) as hit_rate,
        coalesce(supplied_by_provider.fields_supplied, 0) as fields_supplied
    from calls
    left join answers on calls.provider = answers.provider
    left join supplied_by_provider on calls.provider = supplied_by_provider.source_name
)

select * from final
