with

landed_files as (
    select * from {{ source('landing', 'landed_files') }}
),

final as (
    select
        file_sha256,
        file_path,
        kind,
        batch_id,
        file_bytes,
        rows_in,
        rows_loaded,
        rows_rejected,
        status as file_status,
        reason,
        encoding,
        compression,
        timezone('UTC', loaded_at) as loaded_at
    from landed_files
)

select * from final
