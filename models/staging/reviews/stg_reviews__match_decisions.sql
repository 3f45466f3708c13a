{#- The usable reviewer decisions (base_reviews__match_decisions without a rejection reason or a
    blank decision), the latest per subject. -#}
with

decisions as (
    select * from {{ ref('base_reviews__match_decisions') }}
),

usable as (
    -- Neither rejected nor left blank (a review sheet's row nobody decided yet).
    select * from decisions
    where rejection_reason is null and decision is not null
),

latest as (
    -- A later decision on the same subject replaces an earlier one.
    select *
    from usable
    qualify row_number() over (
        partition by subject order by decided_at desc nulls last, loaded_at desc, decision_id desc
    ) = 1
),

final as (
    select
        decision_id,
        decision,
        subject,
        record_id,
        other_record_id,
        account_id,
        decided_by,
        decided_at,
        note,
        batch_id,
        source_file_path,
        source_line_number,
        loaded_at
    from latest
)

select * from final
