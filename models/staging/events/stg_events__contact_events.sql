with

contact_events as (
    select * from {{ source('events', 'contact_events') }}
),

final as (
    select
        -- event_id is the reporting system's id and two files could repeat it: the row's place is the key.
        _lf_file_path || ':' || _lf_line_number as event_key,
        {{ clean_text('event_id') }} as event_id,
        {{ normalise_email('email') }} as email,
        lower({{ clean_text('event_type') }}) as event_type,
        {{ to_utc_timestamp('occurred_at') }} as occurred_at,
        -- source is a keyword, but it is the landing contract's name for the column.
        {{ clean_text('source') }} as source,  -- noqa: RF04
        {{ clean_text('note') }} as note,
        _lf_file_sha256 as source_file_sha256,
        _lf_batch_id as batch_id,
        _lf_file_path as source_file_path,
        _lf_line_number as source_line_number,
        timezone('UTC', _lf_loaded_at) as loaded_at
    from contact_events
)

select * from final
