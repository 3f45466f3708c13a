{#- Every inbound lead record with the data stewards' fixes in force applied. A fixed field is
    normalised by the same rules as in staging, and the columns derived from it (the email's
    domain and flags, the phone's E.164 form, the company's match name, the country code) are
    derived again. Records without a fix pass through unchanged. -#}
{%- set fixable = var('steward_fixable_fields') -%}

with

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

fixes as (
    select * from {{ ref('int_steward_fixes_validated') }}
),

fixes_in_force as (
    select
        record_id,
        {%- for field in fixable %}
            max(new_value) filter (where field = '{{ field }}') as fixed_{{ field }},
        {%- endfor %}
        list(field order by field) as fixed_fields,
        max(fixed_at) as last_fixed_at
    from fixes
    where fix_status = 'applied'
    group by record_id
),

fix_changes as (
    -- When a record's fixes last changed (a fix or a revert landed): matching re-scores it.
    select
        record_id,
        max(loaded_at) as fixes_changed_at
    from fixes
    where fix_status in ('applied', 'reverted', 'revert', 'superseded')
    group by record_id
),

patched as (
    -- The fixed values in the form a source gives them (as text), before normalisation: a fix of
    -- each field in var steward_fixable_fields replaces its column.
    select
        leads.* replace (
            {%- for field in fixable %}
                coalesce(
                    fixes_in_force.fixed_{{ field }}, leads.{{ steward_fix_column(field) }}::varchar
                ) as {{ steward_fix_column(field) }}{{ "," if not loop.last }}
            {%- endfor %}
        ),
        fixes_in_force.fixed_fields,
        fixes_in_force.last_fixed_at
    from leads
    inner join fixes_in_force on leads.record_id = fixes_in_force.record_id
),

renormalised as (
    -- Every field normalised again by staging's rules, and the columns derived from them.
    select
        * replace (
            {{ proper_case_name('first_name') }} as first_name,
            {{ proper_case_name('last_name') }} as last_name,
            {{ normalise_email('email') }} as email,
            {{ clean_text('company_name') }} as company_name,
            {{ company_match_name('company_name') }} as company_match_name,
            {{ clean_text('job_title') }} as job_title,
            {{ clean_text('phone') }} as phone,
            {{ clean_text('city') }} as city,
            {{ clean_text('country_raw') }} as country_raw,
            {{ country_code('country_raw') }} as country_code,
            {{ parse_boolean('has_marketing_consent::varchar') }} as has_marketing_consent
        )
    from patched
),

fixed as (
    select
        * replace (
            {{ email_attribute_columns('email') }},
            {{ phone_e164('phone', 'country_code') }} as phone_e164
        )
    from renormalised
),

unfixed as (
    select
        leads.*,
        []::varchar[] as fixed_fields,
        null::timestamp as last_fixed_at
    from leads
    left join fixes_in_force on leads.record_id = fixes_in_force.record_id
    where fixes_in_force.record_id is null
),

final as (
    select
        combined.*,
        greatest(combined.loaded_at, fix_changes.fixes_changed_at) as changed_at
    from (
        select * from fixed
        union all by name
        select * from unfixed
    ) as combined
    left join fix_changes on combined.record_id = fix_changes.record_id
)

-- The columns of int_leads_unioned and the fix columns.
select * from final  -- noqa: AM04
