with

landing_kinds as (
    select * from {{ source('landing', 'landing_kinds') }}
),

final as (
    select
        kind,
        raw_table,
        path_pattern,
        file_format,
        owner_team,
        description
    from landing_kinds
)

select * from final
