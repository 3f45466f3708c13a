with

match_decisions as (
    select * from {{ source('reviews', 'match_decisions') }}
),

cleaned as (
    select
        {{ clean_text('decision_id') }} as decision_id,
        lower({{ clean_text('decision') }}) as decision,
        {{ clean_text('record_id') }} as record_id,
        {{ clean_text('other_record_id') }} as other_record_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('decided_by') }} as decided_by,
        {{ to_utc_timestamp('decided_at') }} as decided_at,
        {{ clean_text('note') }} as note,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from match_decisions
),

keyed as (
    select
        *,
        -- What the decision is about: a pair of records (in either order) or a lead's account.
        case
            when decision in ('same_person', 'different_person')
                then 'pair:' || least(record_id, other_record_id) || '|' || greatest(record_id, other_record_id)
            when decision = 'lead_account' then 'account:' || record_id
        end as subject
    from cleaned
),

latest as (
    -- A later decision on the same subject replaces an earlier one.
    select *
    from keyed
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
