with

crm_contacts as (
    select * from {{ source('crm', 'crm_contacts') }}
),

latest as (
    -- A later export of the same contact replaces the earlier one.
    {{ latest_export('crm_contacts') }}
),

renamed as (
    select
        'crm_contact:' || id as record_id,
        id as contact_id,
        {{ clean_text('accountid') }} as account_id,
        {{ proper_case_name('firstname') }} as first_name,
        {{ proper_case_name('lastname') }} as last_name,
        {{ normalise_email('email') }} as email,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('title') }} as job_title,
        {{ clean_text('mailingcity') }} as city,
        {{ clean_text('mailingstreet') }} as street,
        {{ clean_text('mailingstate') }} as state,
        {{ postal_code('mailingpostalcode') }} as postal_code,
        {{ clean_text('mailingcountry') }} as country_raw,
        {{ country_code('mailingcountry') }} as country_code,
        {{ clean_text('leadsource') }} as lead_source_raw,
        {{ lead_source('crm_lead_source', 'leadsource') }} as lead_source,
        {{ parse_boolean('hasoptedoutofemail') }} as has_opted_out_of_email,
        {{ clean_text('ownerid') }} as owner_id,
        coalesce({{ parse_boolean('isdeleted') }}, false) as is_deleted,
        {{ to_utc_timestamp('createddate') }} as created_at,
        {{ to_utc_timestamp('lastmodifieddate') }} as last_modified_at,
        _lf_file_sha256 as source_file_sha256,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at,
        timezone('UTC', _lf_erased_at) as erased_at
    from latest
),

final as (
    select
        record_id,
        contact_id,
        account_id,
        first_name,
        last_name,
        email,
        {{ email_attribute_columns('email') }},
        phone,
        {{ phone_e164('phone', 'country_code') }} as phone_e164,
        job_title,
        city,
        street,
        state,
        postal_code,
        country_raw,
        country_code,
        lead_source_raw,
        lead_source,
        has_opted_out_of_email,
        owner_id,
        is_deleted,
        created_at,
        last_modified_at,
        source_file_sha256,
        batch_id,
        source_file_path,
        source_line_number,
        loaded_at,
        erased_at
    from renamed
)

select * from final
