{#- The person records matching compares: every inbound lead and every CRM contact, with the
    fields in the form the matching model compares them. -#}
with

leads as (
    select * from {{ ref('int_leads_unioned') }}
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
        phone_e164,
        company_match_name,
        website_domain,
        country_code
    from leads
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
        contacts.phone_e164,
        accounts.account_match_name as company_match_name,
        accounts.website_domain,
        coalesce(contacts.country_code, accounts.billing_country_code) as country_code
    from contacts
    left join accounts on contacts.account_id = accounts.account_id
    where not contacts.is_deleted
),

person_records as (
    select * from lead_records
    union all
    select * from contact_records
),

final as (
    select
        record_id,
        record_type,
        source_system,
        arrived_at,
        {{ is_junk_name('first_name', 'last_name') }} as has_junk_name,
        -- Junk names ("test test") say nothing about who someone is, so matching ignores them.
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then lower(strip_accents(first_name))
        end as first_name_key,
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then lower(strip_accents(last_name))
        end as last_name_key,
        case when is_email_syntax_valid and not is_disposable_email then email end as email_key,
        case when is_email_syntax_valid and not is_disposable_email then email_local_part end as email_local_part_key,
        phone_e164 as phone_key,
        company_match_name as company_name_key,
        -- The company's domain: a work email's domain, else the website's; never a free-mail one.
        coalesce(
            case when is_email_syntax_valid and not is_free_email and not is_disposable_email then email_domain end,
            website_domain
        ) as company_domain_key,
        country_code as country_key
    from person_records
)

select * from final
