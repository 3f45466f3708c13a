{#- The reviewer decisions the factory could not use, with the reason, so none is silently ignored
    and none stops the build. -#}
with

decisions as (
    select * from {{ ref('base_reviews__match_decisions') }}
),

final as (
    select
        batch_id || '|' || source_file_path || ':' || source_line_number as rejected_key,
        decision_id,
        decision,
        record_id,
        other_record_id,
        account_id,
        decided_by,
        decided_at,
        note,
        rejection_reason,
        source_file_path,
        source_line_number,
        loaded_at
    from decisions
    where rejection_reason is not null
)

select * from final
