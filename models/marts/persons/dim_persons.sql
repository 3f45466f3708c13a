{#- The golden person record. Each field is chosen from the person's records by a declared rule:
    names and country from the most trusted source (seed source_trust), then the most recent;
    email prefers a work address, then trust, then recency; phone and job title are the most
    recent; company comes from the most trusted source (a contact's account name first). Each field
    carries the record it came from. -#}
{%- set trusted = "source_trust.trust_rank, records.arrived_at desc, records.record_id" -%}
{%- set recent = "records.arrived_at desc, source_trust.trust_rank, records.record_id" -%}
{%- set work_email_first = "records.is_free_email, " ~ trusted -%}

with

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

source_trust as (
    select * from {{ ref('source_trust') }}
),

lead_records as (
    select
        leads.record_id,
        leads.source_system,
        leads.arrived_at,
        leads.first_name,
        leads.last_name,
        case when leads.is_email_syntax_valid and not leads.is_disposable_email then leads.email end as email,
        leads.is_free_email,
        leads.phone_e164,
        leads.company_name,
        leads.job_title,
        leads.country_code,
        null::varchar as contact_id,
        account_matches.account_id
    from leads
    left join account_matches on leads.record_id = account_matches.record_id
),

contact_records as (
    select
        contacts.record_id,
        'crm_contact' as source_system,
        coalesce(contacts.created_at, contacts.loaded_at) as arrived_at,
        contacts.first_name,
        contacts.last_name,
        case when contacts.is_email_syntax_valid and not contacts.is_disposable_email then contacts.email end as email,
        contacts.is_free_email,
        contacts.phone_e164,
        accounts.account_name as company_name,
        contacts.job_title,
        coalesce(contacts.country_code, accounts.billing_country_code) as country_code,
        contacts.contact_id,
        contacts.account_id
    from contacts
    left join accounts on contacts.account_id = accounts.account_id
    where not contacts.is_deleted
),

records as (
    select
        unioned.*,
        persons.person_id
    from (
        select * from lead_records
        union all
        select * from contact_records
    ) as unioned
    inner join persons on unioned.record_id = persons.record_id
),

survivors as (
    select
        records.person_id,
        {{ survivor('records.first_name', trusted) }} as first_name,
        {{ survivor('records.record_id', trusted, 'records.first_name') }} as first_name_source_record_id,
        {{ survivor('records.last_name', trusted) }} as last_name,
        {{ survivor('records.record_id', trusted, 'records.last_name') }} as last_name_source_record_id,
        {{ survivor('records.email', work_email_first) }} as email,
        {{ survivor('records.record_id', work_email_first, 'records.email') }} as email_source_record_id,
        {{ survivor('records.phone_e164', recent) }} as phone_e164,
        {{ survivor('records.record_id', recent, 'records.phone_e164') }} as phone_e164_source_record_id,
        {{ survivor('records.company_name', trusted) }} as company_name,
        {{ survivor('records.record_id', trusted, 'records.company_name') }} as company_name_source_record_id,
        {{ survivor('records.job_title', recent) }} as job_title,
        {{ survivor('records.record_id', recent, 'records.job_title') }} as job_title_source_record_id,
        {{ survivor('records.country_code', trusted) }} as country_code,
        {{ survivor('records.record_id', trusted, 'records.country_code') }} as country_code_source_record_id,
        -- The account: a contact's own account first, then the account most of the leads matched.
        {{ survivor('records.account_id', 'records.contact_id is null, ' ~ trusted) }} as account_id,
        {{ survivor('records.contact_id', trusted) }} as contact_id,
        count(*) as record_count,
        count(*) filter (where records.source_system != 'crm_contact') as lead_record_count,
        min(records.arrived_at) as first_seen_at,
        max(records.arrived_at) as last_seen_at
    from records
    left join source_trust on records.source_system = source_trust.source_system
    group by records.person_id
),

final as (
    select
        survivors.*,
        survivors.contact_id is not null as is_existing_contact,
        accounts.account_name,
        accounts.owner_id as account_owner_id
    from survivors
    left join accounts on survivors.account_id = accounts.account_id
)

select * from final
