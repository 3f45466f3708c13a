{#- The person records matching compares, with the fields in the form the model compares them. -#}
with

person_records as (
    select * from {{ ref('int_person_records_unioned') }}
),

final as (
    select
        record_id,
        record_type,
        source_system,
        arrived_at,
        loaded_at,
        changed_at,
        {{ is_junk_name('first_name', 'last_name') }} as has_junk_name,
        -- Junk names ("test test") say nothing about who someone is, so matching ignores them.
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then lower(strip_accents(first_name))
        end as first_name_key,
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then lower(strip_accents(last_name))
        end as last_name_key,
        case when {{ is_deliverable_email() }} then email end as email_key,
        case when {{ is_deliverable_email() }} then email_local_part end as email_local_part_key,
        phone_e164 as phone_key,
        company_match_name as company_name_key,
        {{ company_domain() }} as company_domain_key,
        country_code as country_key,
        lower(strip_accents(city)) as city_key
    from person_records
)

select * from final
