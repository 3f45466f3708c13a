with

crm_leads as (
    select * from {{ source('crm', 'crm_leads') }}
),

latest as (
    -- A later export of the same lead replaces the earlier one.
    {{ latest_export('crm_leads') }}
),

renamed as (
    select
        'crm_lead:' || id as record_id,
        id as lead_id,
        {{ proper_case_name('firstname') }} as first_name,
        {{ proper_case_name('lastname') }} as last_name,
        {{ normalise_email('email') }} as email,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('company') }} as company_name,
        {{ company_match_name('company') }} as company_match_name,
        {{ website_domain('website') }} as website_domain,
        {{ clean_text('title') }} as job_title,
        {{ clean_text('city') }} as city,
        {{ clean_text('street') }} as street,
        {{ clean_text('state') }} as state,
        {{ postal_code('postalcode') }} as postal_code,
        {{ clean_text('country') }} as country_raw,
        {{ country_code('country') }} as country_code,
        {{ clean_text('leadsource') }} as lead_source_raw,
        {{ lead_source('crm_lead_source', 'leadsource') }} as lead_source,
        {{ clean_text('status') }} as lead_status,
        coalesce({{ parse_boolean('isconverted') }}, false) as is_converted,
        {{ clean_text('convertedaccountid') }} as converted_account_id,
        {{ clean_text('convertedcontactid') }} as converted_contact_id,
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
        lead_id,
        first_name,
        last_name,
        email,
        {{ email_attribute_columns('email') }},
        phone,
        {{ phone_e164('phone', 'country_code') }} as phone_e164,
        company_name,
        company_match_name,
        website_domain,
        job_title,
        city,
        street,
        state,
        postal_code,
        country_raw,
        country_code,
        lead_source_raw,
        lead_source,
        lead_status,
        is_converted,
        converted_account_id,
        converted_contact_id,
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
