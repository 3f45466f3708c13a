{#- The golden person record. Each field is chosen from the person's records by a declared rule:
    names and country from the most trusted source (seed source_trust), then the most recent;
    email prefers a work address, then trust, then recency; phone and job title are the most
    recent; company comes from the most trusted source (a contact's account name first). Each field
    carries the record it came from. A person who asked to be erased keeps the row (its id, company,
    account and counts) without their own data. -#}
{%- set trusted = "source_trust.trust_rank, records.arrived_at desc, records.record_id" -%}
{%- set recent = "records.arrived_at desc, source_trust.trust_rank, records.record_id" -%}
{%- set work_email_first = "records.is_free_email, " ~ trusted -%}

with

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

person_records as (
    select * from {{ ref('int_person_records_unioned') }}
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

milestones as (
    select * from {{ ref('int_lead_milestones_accumulated') }}
),

erased_persons as (
    -- People who asked to be erased (through any of their records).
    select distinct persons.person_id
    from persons
    inner join milestones on persons.record_id = milestones.record_id
    where milestones.lifecycle_status = 'erased'
),

records as (
    select
        person_records.record_id,
        person_records.source_system,
        person_records.arrived_at,
        person_records.first_name,
        person_records.last_name,
        case
            when person_records.is_email_syntax_valid and not person_records.is_disposable_email
                then person_records.email
        end as email,
        person_records.is_free_email,
        person_records.phone_e164,
        person_records.company_name,
        person_records.job_title,
        person_records.country_code,
        person_records.contact_id,
        -- A contact's own account; a lead's matched account.
        coalesce(person_records.contact_account_id, account_matches.account_id) as account_id,
        persons.person_id
    from person_records
    inner join persons on person_records.record_id = persons.record_id
    left join account_matches on person_records.record_id = account_matches.record_id
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
        -- The account: a contact's own account first, then the most trusted lead's matched account.
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
        survivors.person_id,
        case when erased_persons.person_id is null then survivors.first_name end as first_name,
        case when erased_persons.person_id is null then survivors.first_name_source_record_id end
            as first_name_source_record_id,
        case when erased_persons.person_id is null then survivors.last_name end as last_name,
        case when erased_persons.person_id is null then survivors.last_name_source_record_id end
            as last_name_source_record_id,
        case when erased_persons.person_id is null then survivors.email end as email,
        case when erased_persons.person_id is null then survivors.email_source_record_id end
            as email_source_record_id,
        case when erased_persons.person_id is null then survivors.phone_e164 end as phone_e164,
        case when erased_persons.person_id is null then survivors.phone_e164_source_record_id end
            as phone_e164_source_record_id,
        case when erased_persons.person_id is null then survivors.job_title end as job_title,
        case when erased_persons.person_id is null then survivors.job_title_source_record_id end
            as job_title_source_record_id,
        survivors.company_name,
        survivors.company_name_source_record_id,
        survivors.country_code,
        survivors.country_code_source_record_id,
        survivors.account_id,
        survivors.contact_id,
        survivors.record_count,
        survivors.lead_record_count,
        survivors.first_seen_at,
        survivors.last_seen_at,
        survivors.contact_id is not null as is_existing_contact,
        accounts.account_name,
        accounts.owner_id as account_owner_id
    from survivors
    left join accounts on survivors.account_id = accounts.account_id
    left join erased_persons on survivors.person_id = erased_persons.person_id
)

select * from final
