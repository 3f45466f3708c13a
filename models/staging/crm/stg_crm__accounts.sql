with

crm_accounts as (
    select * from {{ source('crm', 'crm_accounts') }}
),

latest as (
    -- A later export of the same account replaces the earlier one.
    {{ latest_export('crm_accounts') }}
),

renamed as (
    select
        id as account_id,
        {{ clean_text('name') }} as account_name,
        {{ company_match_name('name') }} as account_match_name,
        {{ website_domain('website') }} as website_domain,
        {{ clean_text('industry') }} as industry,
        try_cast({{ clean_text('numberofemployees') }} as integer) as employee_count,
        try_cast({{ clean_text('annualrevenue') }} as decimal(18, 2)) as annual_revenue,
        {{ clean_text('billingcity') }} as billing_city,
        {{ clean_text('billingcountry') }} as billing_country_raw,
        {{ country_code('billingcountry') }} as billing_country_code,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('type') }} as account_type,
        {{ clean_text('ownerid') }} as owner_id,
        coalesce({{ parse_boolean('isdeleted') }}, false) as is_deleted,
        {{ to_utc_timestamp('createddate') }} as created_at,
        {{ to_utc_timestamp('lastmodifieddate') }} as last_modified_at,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from latest
),

final as (
    select
        *,
        {{ phone_e164('phone', 'billing_country_code') }} as phone_e164
    from renamed
)

select * from final
