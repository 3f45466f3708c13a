with

steward_fixes as (
    select * from {{ source('stewardship', 'steward_fixes') }}
),

final as (
    select
        -- fix_id is the steward's own id and two files could repeat it: the row's place is the key.
        _lf_file_path || ':' || _lf_line_number as fix_key,
        {{ clean_text('fix_id') }} as fix_id,
        {{ clean_text('record_id') }} as record_id,
        lower({{ clean_text('field') }}) as field,
        {{ clean_text('new_value') }} as new_value,
        -- An empty action sets the value; revert withdraws the steward's value for the record and field.
        -- (action is a keyword, but it is the landing contract's name for the column.)
        coalesce(lower({{ clean_text('action') }}), 'set') as action,  -- noqa: RF04
        {{ clean_text('fixed_by') }} as fixed_by,
        {{ to_utc_timestamp('fixed_at') }} as fixed_at,
        {{ clean_text('reason') }} as reason,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from steward_fixes
)

select * from final
