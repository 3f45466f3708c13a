{#- Every landed reviewer decision, cleaned and checked: what it is about (its subject) and, when
    the factory cannot use it, why (an unknown decision, no record, a pair without its other
    record or with the same record twice). The usable ones feed stg_reviews__match_decisions;
    the others are kept in fct_rejected_match_decisions, so a bad row never stops the build. A row
    whose decision is blank (a row of a review sheet nobody has decided yet, lead-factory
    review-sample) is neither: it has no subject and no rejection reason, and is left out. -#}
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

checked as (
    select
        *,
        case
            when decision is null then null  -- not decided yet: neither used nor rejected
            when decision not in ('same_person', 'different_person', 'lead_account')
                then
                    'unknown decision ''' || decision || ''' (expected same_person, different_person or lead_account)'
            when record_id is null then 'no record_id'
            when decision != 'lead_account' and other_record_id is null
                then 'a ' || decision || ' decision without other_record_id'
            when decision != 'lead_account' and other_record_id = record_id
                then 'record_id and other_record_id are the same record'
        end as rejection_reason
    from cleaned
),

final as (
    select
        *,
        -- What the decision is about: a pair of records (in either order) or a lead's account.
        case
            when rejection_reason is not null or decision is null then null
            when decision in ('same_person', 'different_person')
                then 'pair:' || least(record_id, other_record_id) || '|' || greatest(record_id, other_record_id)
            else 'account:' || record_id
        end as subject
    from checked
)

select * from final
