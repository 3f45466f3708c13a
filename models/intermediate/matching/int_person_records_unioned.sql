{#- Every person record the factory knows in one shape: each inbound lead and each live CRM
    contact (with its account's company fields), except erased ones (tombstones, whose personal
    data are gone: they belong to no person). Matching and the golden record read it. -#}
with

leads as (
    select * from {{ ref('int_leads_enriched') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

lead_records as (
    select
        record_id,
        'lead' as record_type,
        source_system,
        arrived_at,
        first_name,
        last_name,
        email,
        email_local_part,
        email_domain,
        is_email_syntax_valid,
        is_free_email,
        is_disposable_email,
        phone,
        phone_e164,
        company_name,
        company_match_name,
        website_domain,
        job_title,
        street,
        city,
        state,
        postal_code,
        country_code,
        null::varchar as contact_id,
        null::varchar as contact_account_id,
        loaded_at,
        changed_at
    from leads
    where erased_at is null
),

contact_records as (
    select
        contacts.record_id,
        'contact' as record_type,
        'crm_contact' as source_system,
        coalesce(contacts.created_at, contacts.loaded_at) as arrived_at,
        contacts.first_name,
        contacts.last_name,
        contacts.email,
        contacts.email_local_part,
        contacts.email_domain,
        contacts.is_email_syntax_valid,
        contacts.is_free_email,
        contacts.is_disposable_email,
        contacts.phone,
        contacts.phone_e164,
        accounts.account_name as company_name,
        accounts.account_match_name as company_match_name,
        accounts.website_domain,
        contacts.job_title,
        contacts.street,
        contacts.city,
        contacts.state,
        contacts.postal_code,
        coalesce(contacts.country_code, accounts.billing_country_code) as country_code,
        contacts.contact_id,
        contacts.account_id as contact_account_id,
        contacts.loaded_at,
        contacts.loaded_at as changed_at
    from contacts
    left join accounts on contacts.account_id = accounts.account_id
    where not contacts.is_deleted and contacts.erased_at is null
),

final as (
    select * from lead_records
    union all
    select * from contact_records
)

select * from final
