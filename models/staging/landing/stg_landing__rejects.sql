with

landing_rejects as (
    select * from {{ source('landing', 'landing_rejects') }}
),

final as (
    select
        file_sha256 || ':' || line_number as reject_id,
        file_sha256,
        file_path,
        kind,
        batch_id,
        line_number,
        raw_text,
        reason,
        timezone('UTC', loaded_at) as rejected_at
    from landing_rejects
)

select * from final
