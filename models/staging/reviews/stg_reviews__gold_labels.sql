with

gold_labels as (
    select * from {{ source('reviews', 'gold_labels') }}
),

latest as (
    -- A record labelled again takes its latest label.
    select *
    from gold_labels
    qualify row_number() over (partition by record_id order by _lf_loaded_at desc, _lf_line_number desc) = 1
),

final as (
    select
        {{ clean_text('record_id') }} as record_id,
        {{ clean_text('true_person_id') }} as true_person_id,
        {{ clean_text('true_account_id') }} as true_account_id,
        _lf_file_path as source_file_path,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from latest
)

select * from final
