with

leads as (
    select * from {{ ref('dim_leads') }}
),

final as (
    select
        source_system,
        count(*) as record_count,
        avg(has_usable_email::integer)::double as usable_email_share,
        avg(has_company::integer)::double as company_share,
        avg(has_country::integer)::double as country_share,
        avg(has_valid_phone::integer)::double as valid_phone_share,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from leads
    group by source_system
)

select * from final
