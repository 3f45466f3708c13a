{#- What the enrichment step asks the providers: for every record that fails a Minimum Viable Lead
    rule enrichment can fix (remedy enrichment), as it stands before enrichment, its company's
    domain (a work email's domain, else the website's) and its usable email. -#}
with

leads as (
    select * from {{ ref('int_leads_fixed') }}
),

facts as (
    select
        leads.*,
        {{ mvl_record_facts('leads') }}
    from leads
),

flagged as (
    select
        record_id,
        email,
        is_email_syntax_valid,
        is_free_email,
        is_disposable_email,
        email_domain,
        website_domain,
        {{ mvl_fails_any_rule('enrichment') }} as needs_enrichment
    from facts
),

requests as (
    select
        'company_by_domain' as request_type,
        {{ company_domain() }} as lookup_key,
        record_id
    from flagged
    where needs_enrichment
    union all
    select
        'person_by_email' as request_type,
        email as lookup_key,
        record_id
    from flagged
    where needs_enrichment and {{ is_deliverable_email() }}
),

final as (
    select
        request_type || ':' || lookup_key as request_key,
        request_type,
        lookup_key,
        count(*) as record_count
    from requests
    where lookup_key is not null
    group by request_type, lookup_key
)

select * from final
