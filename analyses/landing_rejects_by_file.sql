-- Which landed files let the most unreadable rows in, and why: the first place to look when a
-- source starts sending malformed exports. Compile with `dbt compile -s landing_rejects_by_file`
-- and run the SQL in target/compiled against the warehouse.
with

files as (
    select * from {{ ref('stg_landing__files') }}
),

rejects as (
    select * from {{ ref('stg_landing__rejects') }}
),

reasons as (
    select
        file_sha256,
        string_agg(distinct regexp_replace(reason, '\d+', 'N', 'g'), '; ') as reasons
    from rejects
    group by file_sha256
),

final as (
    select
        files.file_path,
        files.kind,
        files.rows_in,
        files.rows_rejected,
        reasons.reasons,
        files.rows_rejected / nullif(files.rows_in, 0) as rejected_share
    from files
    left join reasons on files.file_sha256 = reasons.file_sha256
    where files.rows_rejected > 0
    order by rejected_share desc, files.rows_rejected desc
)

select * from final
