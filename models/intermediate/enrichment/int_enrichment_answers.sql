{#- What the sources outside the record say about a lookup key, one row per source, request type,
    lookup key and field: the CRM account with a company domain (the first by id when several
    share one) and each provider's standing hit (stg_enrichment__responses). A company's answer
    gives its name and country; its city is the head office's, not the person's, so a city (and a
    job title or name) comes only from a person's answer. -#}
with

responses as (
    select * from {{ ref('stg_enrichment__responses') }}
    where status = 'hit'
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

account_values as (
    unpivot (
        select
            website_domain as lookup_key,
            arg_min(account_name, account_id) as company_name,
            arg_min(billing_country_code, account_id) as country,
            max(loaded_at) as answered_at
        from accounts
        where website_domain is not null
        group by website_domain
    )
    on company_name, country
    into name field_name value field_value
),

response_values as (
    unpivot (
        select
            provider,
            request_type,
            lookup_key,
            requested_at as answered_at,
            company_name,
            country_code as country,
            city,
            job_title,
            first_name,
            last_name
        from responses
    )
    on company_name, country, city, job_title, first_name, last_name
    into name field_name value field_value
),

final as (
    select
        'crm_account' as source_name,
        'company_by_domain' as request_type,
        lookup_key,
        field_name,
        field_value,
        answered_at
    from account_values
    union all
    select
        provider as source_name,
        request_type,
        lookup_key,
        field_name,
        field_value,
        answered_at
    from response_values
    where request_type = 'person_by_email' or field_name in ('company_name', 'country')
)

select * from final
