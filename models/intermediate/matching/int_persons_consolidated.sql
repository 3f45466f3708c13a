{#- Each person's consolidated record (survivorship): every field chosen from the person's records
    by a declared order, with the record it came from. Three orders: trust (seed source_trust, then
    the most recent, then record id), recency (the most recent, then trust) and work email first
    (a work address before a free-mail one, then trust). Names, company and country follow trust;
    phone and job title recency; email the work-email order, among deliverable addresses only. -#}
with

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

person_records as (
    select * from {{ ref('int_person_records_unioned') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

source_trust as (
    select * from {{ ref('source_trust') }}
),

records as (
    select
        person_records.record_id,
        persons.person_id,
        person_records.source_system,
        person_records.arrived_at,
        person_records.first_name,
        person_records.last_name,
        case when {{ is_deliverable_email('person_records') }} then person_records.email end as email,
        person_records.phone_e164,
        person_records.company_name,
        person_records.job_title,
        person_records.country_code,
        person_records.contact_id,
        -- A contact's own account; a lead's matched account.
        coalesce(person_records.contact_account_id, account_matches.account_id) as account_id,
        row_number() over (
            partition by persons.person_id
            order by source_trust.trust_rank asc, person_records.arrived_at desc, person_records.record_id asc
        ) as trust_order,
        row_number() over (
            partition by persons.person_id
            order by person_records.arrived_at desc, source_trust.trust_rank asc, person_records.record_id asc
        ) as recency_order,
        row_number() over (
            partition by persons.person_id
            order by
                person_records.is_free_email asc, source_trust.trust_rank asc, person_records.arrived_at desc,
                person_records.record_id asc
        ) as work_email_order,
        row_number() over (
            partition by persons.person_id
            order by
                person_records.contact_id is null asc, source_trust.trust_rank asc,
                person_records.arrived_at desc, person_records.record_id asc
        ) as contact_first_order
    from person_records
    inner join persons on person_records.record_id = persons.record_id
    left join account_matches on person_records.record_id = account_matches.record_id
    left join source_trust on person_records.source_system = source_trust.source_system
),

final as (
    select
        person_id,
        {{ survivor('first_name', 'trust_order') }} as first_name,
        {{ survivor('record_id', 'trust_order', 'first_name') }} as first_name_source_record_id,
        {{ survivor('last_name', 'trust_order') }} as last_name,
        {{ survivor('record_id', 'trust_order', 'last_name') }} as last_name_source_record_id,
        {{ survivor('email', 'work_email_order') }} as email,
        {{ survivor('record_id', 'work_email_order', 'email') }} as email_source_record_id,
        {{ survivor('phone_e164', 'recency_order') }} as phone_e164,
        {{ survivor('record_id', 'recency_order', 'phone_e164') }} as phone_e164_source_record_id,
        {{ survivor('company_name', 'trust_order') }} as company_name,
        {{ survivor('record_id', 'trust_order', 'company_name') }} as company_name_source_record_id,
        {{ survivor('job_title', 'recency_order') }} as job_title,
        {{ survivor('record_id', 'recency_order', 'job_title') }} as job_title_source_record_id,
        {{ survivor('country_code', 'trust_order') }} as country_code,
        {{ survivor('record_id', 'trust_order', 'country_code') }} as country_code_source_record_id,
        -- The account: a contact's own account first, then the most trusted lead's matched account.
        {{ survivor('account_id', 'contact_first_order') }} as account_id,
        {{ survivor('contact_id', 'trust_order') }} as contact_id,
        count(*) as record_count,
        count(*) filter (where source_system != 'crm_contact') as lead_record_count,
        min(arrived_at) as first_seen_at,
        max(arrived_at) as last_seen_at
    from records
    group by person_id
)

select * from final
