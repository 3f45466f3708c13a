{#- Every reference lookup the staging models make, in one keyed table, so each normalisation rule
    is one join and a unit test needs one fixture for all of them. -#}
with

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

lead_source_mapping as (
    select * from {{ ref('lead_source_mapping') }}
),

free_email_domains as (
    select * from {{ ref('free_email_domains') }}
),

disposable_email_domains as (
    select * from {{ ref('disposable_email_domains') }}
),

role_email_local_parts as (
    select * from {{ ref('role_email_local_parts') }}
),

junk_names as (
    select * from {{ ref('junk_names') }}
),

non_company_names as (
    select * from {{ ref('non_company_names') }}
),

country_keys as (
    select
        {{ lookup_key('alias') }} as lookup_key,
        country_code,
        alias_priority
    from country_aliases
),

country_best_priority as (
    select
        lookup_key,
        country_code
    from country_keys
    where lookup_key is not null
    qualify alias_priority = min(alias_priority) over (partition by lookup_key)
),

countries as (
    -- A spelling that two countries share at the same priority is ambiguous, so it is left out.
    select
        'country' as lookup_type,
        lookup_key,
        min(country_code) as lookup_value
    from country_best_priority
    group by lookup_key
    having count(distinct country_code) = 1
),

lead_sources as (
    select
        'lead_source:' || source_system as lookup_type,
        {{ lookup_key('raw_value') }} as lookup_key,
        min(lead_source) as lookup_value
    from lead_source_mapping
    group by lookup_type, lookup_key
),

email_domain_lists as (
    select
        'free_email_domain' as lookup_type,
        lower(trim(domain)) as lookup_key,
        'true' as lookup_value
    from free_email_domains
    union
    select
        'disposable_email_domain' as lookup_type,
        lower(trim(domain)) as lookup_key,
        'true' as lookup_value
    from disposable_email_domains
    union
    select
        'role_email_local_part' as lookup_type,
        lower(trim(local_part)) as lookup_key,
        'true' as lookup_value
    from role_email_local_parts
    union
    select
        'junk_name_' || match_on as lookup_type,
        {{ lookup_key('value') }} as lookup_key,
        'true' as lookup_value
    from junk_names
    union
    select
        'non_company_name' as lookup_type,
        {{ lookup_key('value') }} as lookup_key,
        'true' as lookup_value
    from non_company_names
),

final as (
    select * from countries
    union all
    select * from lead_sources
    union all
    select * from email_domain_lists
)

select * from final
