{#- Everything the factory has kept aside instead of failing, routed to its owner like a remediation
    case: the owner team (the landing kind's owner, or the item type's, per seed quarantine_types),
    priority, SLA and due date, suggested fix, and the age and overdue flag measured at the
    factory's as-of time. What the item says (item_detail) is shown while it is kept aside. -#}
with

items as (
    select * from {{ ref('int_quarantined_items_tracked') }}
),

current_items as (
    select * from {{ ref('int_quarantined_items_unioned') }}
),

types as (
    select * from {{ ref('quarantine_types') }}
),

kinds as (
    select * from {{ ref('stg_landing__kinds') }}
),

routed as (
    select
        items.*,
        current_items.item_detail,
        case
            when types.routed_by = 'kind' then coalesce(kinds.owner_team, types.owner_team)
            else types.owner_team
        end as owner_team,
        types.priority,
        types.sla_days,
        types.remediation_hint as suggested_fix,
        items.first_seen_at + to_days(types.sla_days) as sla_due_at
    from items
    left join current_items on items.item_key = current_items.item_key
    left join types on items.item_type = types.item_type
    left join kinds on items.kind = kinds.kind
),

final as (
    select
        item_id,
        item_key,
        item_type,
        kind,
        owner_team,
        priority,
        reason,
        item_detail,
        record_id,
        source_file_path,
        source_line_number,
        suggested_fix,
        first_seen_at,
        last_seen_at,
        -- An open item's age at the as-of time; a resolved item's, when it was resolved.
        greatest(
            date_diff('day', first_seen_at, coalesce(resolved_at, {{ factory_as_of() }})), 0
        ) as age_days,
        sla_days,
        sla_due_at,
        item_status = 'open' and {{ factory_as_of() }} > sla_due_at as is_overdue,
        item_status,
        resolved_at,
        resolution
    from routed
)

select * from final
