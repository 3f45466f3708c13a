{#- The scorecard's quarantine metric as measured now, overall and per owner team and item type:
    the quarantined items open (the semantic layer's open_quarantined_items, over
    fct_quarantined_items). The whole factory has a row even when nothing was ever kept aside, so
    an empty quarantine reads as 0, on target. -#}
with

items as (
    select * from {{ ref('fct_quarantined_items') }}
),

sliced as (
    -- Every item once per breakdown: its owner team and its type.
    select
        'owner_team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        item_status
    from items
    union all
    select
        'item_type' as dimension_name,
        item_type as dimension_value,
        item_status
    from items
),

whole as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        count(*) filter (where item_status = 'open') as open_items,
        count(*) as items
    from items
),

grouped as (
    select
        dimension_name,
        dimension_value,
        count(*) filter (where item_status = 'open') as open_items,
        count(*) as items
    from sliced
    group by dimension_name, dimension_value
    union all
    select * from whole
),

final as (
    select
        'open_quarantined_items' as metric_name,
        dimension_name,
        dimension_value,
        open_items::double as metric_value,
        items as observations
    from grouped
)

select * from final
