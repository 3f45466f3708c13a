{#- Every inbound lead record as the business sees it: the record as fixed, enriched and classified,
    its person, account and lifecycle. Every record of a person who asked to be erased
    (int_persons_erased) is kept without the person's own data, whichever address it used. -#}
with

leads as (
    select * from {{ ref('int_leads_classified') }}
),

milestones as (
    select * from {{ ref('int_lead_milestones_accumulated') }}
),

lifecycle_facts as (
    select * from {{ ref('int_leads_lifecycle_facts') }}
),

persons as (
    select * from {{ ref('int_persons_clustered') }}
),

person_records as (
    select * from {{ ref('int_person_records_prepared') }}
),

account_matches as (
    select * from {{ ref('int_leads_matched_to_accounts') }}
),

erased_persons as (
    select * from {{ ref('int_persons_erased') }}
),

existing_contacts as (
    -- People who already are Salesforce contacts.
    select distinct persons.person_id
    from persons
    inner join person_records on persons.record_id = person_records.record_id
    where person_records.record_type = 'contact'
),

final as (
    select
        leads.record_id,
        persons.person_id,
        (existing_contacts.person_id is not null) as is_existing_contact,
        account_matches.account_id,
        account_matches.match_status as account_match_status,
        account_matches.match_method as account_match_method,
        account_matches.match_probability as account_match_probability,
        account_matches.is_new_account_candidate,
        leads.source_system,
        leads.source_record_id,
        leads.lead_source,
        leads.source_detail,
        case when erased_persons.person_id is null then leads.first_name end as first_name,
        case when erased_persons.person_id is null then leads.last_name end as last_name,
        case when erased_persons.person_id is null then leads.email end as email,
        case when erased_persons.person_id is null then leads.email_domain end as email_domain,
        leads.is_email_syntax_valid,
        leads.is_free_email,
        leads.is_disposable_email,
        leads.is_role_email,
        {{ is_usable_email('leads') }} as has_usable_email,
        {{ is_work_email('leads') }} as has_work_email,
        leads.company_name,
        leads.company_match_name,
        (leads.company_name is not null) as has_company,
        leads.website_domain,
        case when erased_persons.person_id is null then leads.job_title end as job_title,
        case when erased_persons.person_id is null then leads.phone_e164 end as phone_e164,
        (leads.phone_e164 is not null) as has_valid_phone,
        case when erased_persons.person_id is null then leads.city end as city,
        leads.country_code,
        (leads.country_code is not null) as has_country,
        leads.has_marketing_consent,
        leads.mvl_status,
        leads.failed_rules,
        leads.failed_blocking_rules,
        leads.failed_warning_rules,
        milestones.lifecycle_status,
        milestones.retirement_reason,
        coalesce(lifecycle_facts.is_duplicate_record, false) as is_duplicate,
        leads.fixed_fields,
        leads.has_opted_out_of_email,
        leads.arrived_at,
        leads.loaded_at,
        leads.batch_id,
        leads.source_file_path,
        leads.source_line_number
    from leads
    left join milestones on leads.record_id = milestones.record_id
    left join lifecycle_facts on leads.record_id = lifecycle_facts.record_id
    left join persons on leads.record_id = persons.record_id
    left join existing_contacts on persons.person_id = existing_contacts.person_id
    left join account_matches on leads.record_id = account_matches.record_id
    left join erased_persons on persons.person_id = erased_persons.person_id
)

select * from final
