with

form_submissions as (
    select * from {{ source('forms', 'form_submissions') }}
),

first_landed as (
    -- A submission delivered twice (in two files) counts once: the first landed copy.
    select *
    from form_submissions
    qualify row_number() over (
        partition by submission_id
        order by _lf_loaded_at, _lf_file_path, _lf_line_number
    ) = 1
),

renamed as (
    select
        'form:' || submission_id as record_id,
        submission_id,
        {{ clean_text('form_id') }} as form_id,
        {{ clean_text('page_url') }} as page_url,
        lower({{ clean_text('utm_source') }}) as utm_source,
        lower({{ clean_text('utm_medium') }}) as utm_medium,
        {{ clean_text('utm_campaign') }} as utm_campaign,
        case
            when {{ lookup_key('utm_source') }} is null and {{ lookup_key('utm_medium') }} is null
                then 'direct'
            else {{ lead_source('form_utm_medium', 'utm_medium') }}
        end as lead_source,
        {{ proper_case_name('first_name') }} as first_name,
        {{ proper_case_name('last_name') }} as last_name,
        {{ normalise_email('email') }} as email,
        {{ clean_text('company') }} as company_name,
        {{ company_match_name('company') }} as company_match_name,
        {{ clean_text('job_title') }} as job_title,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('country') }} as country_raw,
        {{ country_code('country') }} as country_code,
        {{ clean_text('street') }} as street,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ postal_code('postal_code') }} as postal_code,
        {{ parse_boolean('consent') }} as has_marketing_consent,
        {{ to_utc_timestamp('submitted_at') }} as submitted_at,
        _lf_file_sha256 as source_file_sha256,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at,
        timezone('UTC', _lf_erased_at) as erased_at
    from first_landed
),

final as (
    select
        record_id,
        submission_id,
        form_id,
        page_url,
        utm_source,
        utm_medium,
        utm_campaign,
        lead_source,
        first_name,
        last_name,
        email,
        {{ email_attribute_columns('email') }},
        company_name,
        company_match_name,
        job_title,
        phone,
        {{ phone_e164('phone', 'country_code') }} as phone_e164,
        country_raw,
        country_code,
        street,
        city,
        state,
        postal_code,
        has_marketing_consent,
        submitted_at,
        source_file_sha256,
        batch_id,
        source_file_path,
        source_line_number,
        loaded_at,
        erased_at
    from renamed
)

select * from final
