{#- The golden person record: each person's consolidated record (int_persons_consolidated) with
    its account. A person who asked to be erased (int_persons_erased) keeps the row (its id,
    company, account and counts) without their own data. -#}
{%- set personal_columns = [
    'first_name', 'first_name_source_record_id', 'last_name', 'last_name_source_record_id', 'email',
    'email_source_record_id', 'phone_e164', 'phone_e164_source_record_id', 'job_title',
    'job_title_source_record_id',
] -%}

with

persons as (
    select * from {{ ref('int_persons_consolidated') }}
),

erased_persons as (
    select * from {{ ref('int_persons_erased') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

final as (
    select
        persons.person_id,
        {%- for column in personal_columns %}
            case when erased_persons.person_id is null then persons.{{ column }} end as {{ column }},
        {%- endfor %}
        persons.company_name,
        persons.company_name_source_record_id,
        persons.country_code,
        persons.country_code_source_record_id,
        persons.account_id,
        persons.contact_id,
        persons.record_count,
        persons.lead_record_count,
        persons.first_seen_at,
        persons.last_seen_at,
        persons.contact_id is not null as is_existing_contact,
        accounts.account_name,
        accounts.owner_id as account_owner_id
    from persons
    left join accounts on persons.account_id = accounts.account_id
    left join erased_persons on persons.person_id = erased_persons.person_id
)

select * from final
