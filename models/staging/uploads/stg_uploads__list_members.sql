with

uploads as (
    select * from {{ source('uploads', 'uploads') }}
),

renamed as (
    select
        'upload:' || left(_lf_file_sha256, 12) || ':' || _lf_line_number as record_id,
        -- uploads/<upload type>/<file name>: the folder names the kind of list.
        regexp_extract(_lf_file_path, '^uploads/([^/]+)/', 1) as upload_type,
        regexp_extract(_lf_file_path, '([^/]+)$', 1) as upload_file_name,
        {{ lead_source('upload_type', "regexp_extract(_lf_file_path, '^uploads/([^/]+)/', 1)") }} as lead_source,
        {{ proper_case_name('first_name') }} as first_name,
        {{ proper_case_name('last_name') }} as last_name,
        {{ normalise_email('email') }} as email,
        {{ clean_text('company') }} as company_name,
        {{ company_match_name('company') }} as company_match_name,
        {{ website_domain('website') }} as website_domain,
        {{ clean_text('job_title') }} as job_title,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('city') }} as city,
        {{ clean_text('street') }} as street,
        {{ clean_text('state') }} as state,
        {{ postal_code('postal_code') }} as postal_code,
        {{ clean_text('country') }} as country_raw,
        {{ country_code('country') }} as country_code,
        {{ parse_boolean('consent') }} as has_marketing_consent,
        {{ to_utc_timestamp('registered_at') }} as registered_at,
        _lf_file_sha256 as source_file_sha256,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at,
        timezone('UTC', _lf_erased_at) as erased_at
    from uploads
),

final as (
    select
        record_id,
        upload_type,
        upload_file_name,
        lead_source,
        first_name,
        last_name,
        email,
        {{ email_attribute_columns('email') }},
        company_name,
        company_match_name,
        website_domain,
        job_title,
        phone,
        {{ phone_e164('phone', 'country_code') }} as phone_e164,
        city,
        street,
        state,
        postal_code,
        country_raw,
        country_code,
        has_marketing_consent,
        registered_at,
        source_file_sha256,
        batch_id,
        source_file_path,
        source_line_number,
        loaded_at,
        erased_at
    from renamed
)

select * from final
