{#- The enrichment providers' answers, from the enrichment step's cache: the answer of each provider
    to each request that stands (the latest hit or miss, else the latest error or malformed one), with a hit's payload parsed into the factory's fields and normalised by
    the same rules as staging. -#}
with

cache as (
    select * from {{ source('enrichment', 'enrichment_cache') }}
),

latest as (
    -- A hit or a miss stands until a newer hit or miss: a later error does not undo it.
    select *
    from cache
    qualify row_number() over (
        partition by provider, request_type, lookup_key
        order by status in ('hit', 'miss') desc, requested_at desc, response_id desc
    ) = 1
),

parsed as (
    select
        provider || ':' || request_type || ':' || lookup_key as response_key,
        response_id,
        run_id,
        provider,
        request_type,
        lookup_key,
        status,
        http_status,
        attempts,
        reason,
        requested_at,
        coalesce(payload ->> '$.name', payload ->> '$.company_name') as company_name_raw,
        lower(coalesce(payload ->> '$.domain', payload ->> '$.company_domain')) as company_domain,
        payload ->> '$.country' as country_raw,
        payload ->> '$.city' as city,
        payload ->> '$.industry' as industry,
        try_cast(payload ->> '$.employee_count' as bigint) as employee_count,
        payload ->> '$.given_name' as first_name,
        payload ->> '$.family_name' as last_name,
        payload ->> '$.title' as job_title
    from latest
),

final as (
    select
        response_key,
        response_id,
        run_id,
        provider,
        request_type,
        lookup_key,
        status,
        http_status,
        attempts,
        reason,
        requested_at,
        {{ clean_text('company_name_raw') }} as company_name,
        company_domain,
        {{ country_code('country_raw') }} as country_code,
        {{ clean_text('city') }} as city,
        {{ clean_text('industry') }} as industry,
        employee_count,
        {{ proper_case_name('first_name') }} as first_name,
        {{ proper_case_name('last_name') }} as last_name,
        {{ clean_text('job_title') }} as job_title
    from parsed
)

select * from final
