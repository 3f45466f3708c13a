{#- The person records matching compares, with the fields in the form the model compares them and
    the keys its blocking rules pair records on: names lower-cased without accents and punctuation
    (an initial "D." is "d"), each first name's equivalents (itself and the names it is a nickname
    or translation of: seed nickname_equivalents), how the names sound, the two names in either
    order, a phone's digits as written (a number libphonenumber rejects still counts), the
    address. -#}
with

person_records as (
    select * from {{ ref('int_person_records_unioned') }}
),

nicknames as (
    select * from {{ ref('nickname_equivalents') }}
),

keyed as (
    select
        person_records.*,
        {{ is_junk_name('first_name', 'last_name') }} as has_junk_name,
        -- Junk names ("test test") say nothing about who someone is, so matching ignores them.
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then {{ name_key('first_name') }}
        end as first_name_key,
        case
            when not {{ is_junk_name('first_name', 'last_name') }} then {{ name_key('last_name') }}
        end as last_name_key,
        nullif(
            right(regexp_replace(coalesce(person_records.phone, person_records.phone_e164, ''), '[^0-9]', '', 'g'), 9),
            ''
        ) as phone_digits
    from person_records
),

equivalents as (
    select
        keyed.record_id,
        list_sort(list_distinct(list(nicknames.canonical_name))) as canonical_names
    from keyed
    inner join nicknames on keyed.first_name_key = nicknames.name
    group by keyed.record_id
),

final as (
    select
        keyed.record_id,
        keyed.record_type,
        keyed.source_system,
        keyed.arrived_at,
        keyed.loaded_at,
        keyed.changed_at,
        keyed.has_junk_name,
        keyed.first_name_key,
        keyed.last_name_key,
        left(keyed.first_name_key, 1) as first_initial_key,
        case when length(keyed.first_name_key) >= 3 then left(keyed.first_name_key, 3) end as first_name_prefix_key,
        case when length(keyed.last_name_key) >= 3 then left(keyed.last_name_key, 3) end as last_name_prefix_key,
        list_sort(list_distinct(
            list_concat([keyed.first_name_key], coalesce(equivalents.canonical_names, []::varchar[]))
        )) as first_name_variants,
        lf_name_sound(keyed.first_name_key) as first_name_sound_key,
        lf_name_sound(keyed.last_name_key) as last_name_sound_key,
        case
            when keyed.first_name_key is not null and keyed.last_name_key is not null
                then concat_ws(
                    ' ',
                    least(keyed.first_name_key, keyed.last_name_key),
                    greatest(keyed.first_name_key, keyed.last_name_key)
                )
        end as name_set_key,
        case when {{ is_deliverable_email('keyed') }} then keyed.email end as email_key,
        case when {{ is_deliverable_email('keyed') }} then keyed.email_local_part end as email_local_part_key,
        keyed.phone_e164 as phone_key,
        case when length(keyed.phone_digits) >= 7 then keyed.phone_digits end as phone_digits_key,
        keyed.company_match_name as company_name_key,
        {{ company_domain('keyed') }} as company_domain_key,
        keyed.country_code as country_key,
        lower(strip_accents(keyed.city)) as city_key,
        nullif(trim(regexp_replace(lower(strip_accents(keyed.street)), '[^a-z0-9]+', ' ', 'g')), '') as street_key,
        nullif(regexp_extract(keyed.street, '[0-9]+'), '') as street_number_key,
        keyed.postal_code as postal_code_key
    from keyed
    left join equivalents on keyed.record_id = equivalents.record_id
)

select * from final
