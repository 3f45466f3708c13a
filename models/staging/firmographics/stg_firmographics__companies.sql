with

firmographics as (
    select * from {{ source('firmographics', 'firmographics') }}
),

keyed as (
    select
        *,
        {{ website_domain('domain') }} as company_domain
    from firmographics
),

latest as (
    -- One row per domain: the most recently landed entry wins.
    select *
    from keyed
    where company_domain is not null
    qualify row_number() over (
        partition by company_domain
        order by _lf_loaded_at desc, _lf_line_number desc
    ) = 1
),

final as (
    select
        company_domain,
        {{ clean_text('company_name') }} as company_name,
        {{ company_match_name('company_name') }} as company_match_name,
        {{ clean_text('industry') }} as industry,
        try_cast({{ clean_text('employee_count') }} as integer) as employee_count,
        try_cast({{ clean_text('annual_revenue') }} as decimal(18, 2)) as annual_revenue,
        {{ country_code('country') }} as country_code,
        {{ clean_text('city') }} as city,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from latest
)

select * from final
