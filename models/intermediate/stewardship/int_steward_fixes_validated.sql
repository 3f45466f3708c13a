{#- Every landed steward fix, checked and resolved: a fix of an unknown record, of a field that
    cannot be fixed, with an unknown action, or with a value that fails the field's own rule is
    rejected with the reason; of the valid fixes of one record and field the latest (by fixed_at,
    then landing order) is in force: a set is applied, a revert withdraws the fixes before it. -#}
{%- set fixable = var('steward_fixable_fields') -%}

with

fixes as (
    select * from {{ ref('stg_stewardship__fixes') }}
),

fixable_fields as (
    select unnest([
        {%- for field in fixable %}
            '{{ field }}'{{ "," if not loop.last }}
        {%- endfor %}
    ]) as field
),

leads as (
    select * from {{ ref('int_leads_unioned') }}
),

normalised as (
    -- The new value in the form the record stores it, by the same rules staging applies.
    select
        fixes.*,
        leads.record_id is not null as is_known_record,
        case fixes.field
            when 'first_name' then {{ proper_case_name('fixes.new_value') }}
            when 'last_name' then {{ proper_case_name('fixes.new_value') }}
            when 'email' then {{ normalise_email('fixes.new_value') }}
            when 'phone' then {{ phone_e164('fixes.new_value', 'leads.country_code') }}
            when 'country' then {{ country_code('fixes.new_value') }}
            when 'has_marketing_consent' then {{ parse_boolean('fixes.new_value') }}::varchar
            else {{ clean_text('fixes.new_value') }}
        end as normalised_value
    from fixes
    left join leads on fixes.record_id = leads.record_id
),

checked as (
    select
        *,
        case
            when not is_known_record then 'unknown_record'
            when field is null or field not in (select fixable_fields.field from fixable_fields) then 'unfixable_field'
            when action not in ('set', 'revert') then 'unknown_action'
            when action = 'revert' then null
            when normalised_value is null then 'invalid_value'
            when field = 'email' and not {{ is_valid_email_syntax('normalised_value') }} then 'invalid_value'
            when field in ('first_name', 'last_name') and {{ is_junk_name('normalised_value', "''") }}
                then 'invalid_value'
        end as rejection_reason
    from normalised
),

ranked as (
    select
        *,
        row_number() over (
            partition by record_id, field
            order by fixed_at desc nulls last, loaded_at desc, source_file_path desc, source_line_number desc
        ) as recency_rank,
        first_value(action) over (
            partition by record_id, field
            order by fixed_at desc nulls last, loaded_at desc, source_file_path desc, source_line_number desc
        ) as latest_action
    from checked
    where rejection_reason is null
),

final as (
    select
        checked.fix_key,
        checked.fix_id,
        checked.record_id,
        checked.field,
        checked.new_value,
        checked.normalised_value,
        checked.action,
        checked.fixed_by,
        checked.fixed_at,
        checked.reason,
        case
            when checked.rejection_reason is not null then 'rejected'
            when checked.action = 'revert' then 'revert'
            when ranked.recency_rank = 1 then 'applied'
            when ranked.latest_action = 'revert' then 'reverted'
            else 'superseded'
        end as fix_status,
        checked.rejection_reason,
        checked.batch_id,
        checked.source_file_path,
        checked.source_line_number,
        checked.loaded_at
    from checked
    left join ranked on checked.fix_key = ranked.fix_key
)

select * from final
