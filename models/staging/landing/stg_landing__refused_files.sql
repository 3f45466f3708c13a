with

refused_files as (
    select * from {{ source('landing', 'refused_files') }}
),

final as (
    select
        file_path,
        kind,
        reason,
        batch_id,
        timezone('UTC', first_refused_at) as first_refused_at,
        timezone('UTC', last_refused_at) as last_refused_at
    from refused_files
)

select * from final
