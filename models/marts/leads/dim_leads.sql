with

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

final as (
    select
        record_id,
        source_system,
        source_record_id,
        lead_source,
        source_detail,
        first_name,
        last_name,
        email,
        email_domain,
        is_email_syntax_valid,
        is_free_email,
        is_disposable_email,
        is_role_email,
        (is_email_syntax_valid and not is_disposable_email and not is_role_email) as has_usable_email,
        (is_email_syntax_valid and not is_free_email and not is_disposable_email) as has_work_email,
        company_name,
        company_match_name,
        (company_name is not null) as has_company,
        website_domain,
        job_title,
        phone_e164,
        (phone_e164 is not null) as has_valid_phone,
        city,
        country_code,
        (country_code is not null) as has_country,
        has_marketing_consent,
        has_opted_out_of_email,
        arrived_at,
        loaded_at,
        batch_id,
        source_file_path,
        source_line_number
    from leads
)

select * from final
