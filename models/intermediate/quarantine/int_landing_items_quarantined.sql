{#- What the landing step kept aside, as quarantined items: each row it could not load from a file
    it loaded, each file it rejected or found empty (a rejected file is one item: its lines in the
    rejects table carry the file's reason), and each path it refused to read. -#}
with

files as (
    select * from {{ ref('stg_landing__files') }}
),

rejects as (
    select * from {{ ref('stg_landing__rejects') }}
),

refused as (
    select * from {{ ref('stg_landing__refused_files') }}
),

rejected_rows as (
    select
        'landing_reject:' || rejects.reject_id as item_key,
        'rejected_row' as item_type,
        rejects.kind,
        rejects.reason,
        left(rejects.raw_text, 200) as item_detail,
        rejects.file_path as source_file_path,
        rejects.line_number as source_line_number,
        rejects.rejected_at as first_seen_at,
        rejects.rejected_at as file_loaded_at
    from rejects
    left join files on rejects.file_sha256 = files.file_sha256
    where files.file_status is distinct from 'rejected'
),

problem_files as (
    select
        'landed_file:' || file_sha256 as item_key,
        case file_status when 'rejected' then 'rejected_file' else 'empty_file' end as item_type,
        kind,
        reason,
        case
            when file_status = 'rejected' and rows_in > 0
                then rows_in || ' data lines not loaded (in raw.landing_rejects)'
        end as item_detail,
        file_path as source_file_path,
        null::bigint as source_line_number,
        loaded_at as first_seen_at,
        loaded_at as file_loaded_at
    from files
    where file_status in ('rejected', 'empty')
),

refused_paths as (
    select
        'refused_path:' || file_path as item_key,
        'refused_path' as item_type,
        kind,
        reason,
        null::varchar as item_detail,
        file_path as source_file_path,
        null::bigint as source_line_number,
        first_refused_at as first_seen_at,
        -- Not tied to a landed file: the path's row goes when a file lands there.
        null::timestamp as file_loaded_at
    from refused
),

final as (
    select * from rejected_rows
    union all
    select * from problem_files
    union all
    select * from refused_paths
)

select * from final
