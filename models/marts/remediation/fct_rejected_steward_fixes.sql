{#- The steward fixes the factory could not apply, with the reason, so none is silently ignored. -#}
with

fixes as (
    select * from {{ ref('int_steward_fixes_validated') }}
),

final as (
    select
        fix_key,
        fix_id,
        record_id,
        field,
        new_value,
        action,
        fixed_by,
        fixed_at,
        reason,
        rejection_reason,
        source_file_path,
        source_line_number,
        loaded_at
    from fixes
    where fix_status = 'rejected'
)

select * from final
