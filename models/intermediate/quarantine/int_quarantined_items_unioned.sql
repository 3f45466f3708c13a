{#- Everything the factory keeps aside now instead of failing, as one list of quarantined items:
    what landing kept aside (int_landing_items_quarantined), the reviewer decisions and steward
    fixes it could not use, and the CRM references to accounts the export lacks. An item tied to a
    landed file is no longer kept aside once a later file has landed at the same path (the owner
    corrected the file and landed it again). -#}
with

landing_items as (
    select * from {{ ref('int_landing_items_quarantined') }}
),

decisions as (
    select * from {{ ref('fct_rejected_match_decisions') }}
),

fixes as (
    select * from {{ ref('fct_rejected_steward_fixes') }}
),

orphans as (
    select * from {{ ref('fct_orphaned_crm_references') }}
),

files as (
    select * from {{ ref('stg_landing__files') }}
),

paths as (
    -- Each landing path's kind and when a file last landed there.
    select
        file_path,
        any_value(kind) as kind,
        max(loaded_at) as last_loaded_at
    from files
    group by file_path
),

items as (
    select
        item_key,
        item_type,
        kind,
        reason,
        item_detail,
        null::varchar as record_id,
        source_file_path,
        source_line_number,
        first_seen_at,
        file_loaded_at
    from landing_items
    union all
    select
        'match_decision:' || rejected_key as item_key,
        'rejected_match_decision' as item_type,
        null::varchar as kind,
        rejection_reason as reason,
        concat_ws(',', decision_id, decision, record_id, other_record_id, account_id, decided_by) as item_detail,
        record_id,
        source_file_path,
        source_line_number,
        loaded_at as first_seen_at,
        loaded_at as file_loaded_at
    from decisions
    union all
    select
        'steward_fix:' || fix_key as item_key,
        'rejected_steward_fix' as item_type,
        null::varchar as kind,
        rejection_reason as reason,
        concat_ws(',', fix_id, record_id, field, new_value, action, fixed_by) as item_detail,
        record_id,
        source_file_path,
        source_line_number,
        loaded_at as first_seen_at,
        loaded_at as file_loaded_at
    from fixes
    union all
    select
        'orphaned_reference:' || reference_key as item_key,
        'orphaned_crm_reference' as item_type,
        null::varchar as kind,
        crm_field || ' names account ' || referenced_account_id || ', which the CRM export does not hold' as reason,
        crm_object || ' ' || crm_id || ' ' || crm_field || '=' || referenced_account_id as item_detail,
        record_id,
        source_file_path,
        source_line_number,
        loaded_at as first_seen_at,
        -- Kept aside while the latest export still names a missing account, whatever file it is in.
        null::timestamp as file_loaded_at
    from orphans
),

final as (
    select
        items.item_key,
        items.item_type,
        coalesce(items.kind, paths.kind) as kind,
        items.reason,
        left(items.item_detail, 200) as item_detail,
        items.record_id,
        items.source_file_path,
        items.source_line_number,
        items.first_seen_at
    from items
    left join paths on items.source_file_path = paths.file_path
    -- A later file at the same path replaces the one the item came from.
    where coalesce(items.file_loaded_at >= paths.last_loaded_at, true)
)

select * from final
