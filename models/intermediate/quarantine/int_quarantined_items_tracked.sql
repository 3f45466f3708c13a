{#- Every quarantined item with its history, like a remediation case: opened when a build first
    finds it kept aside, resolved when a build finds it no longer kept aside, with how (a later
    file landed at its path, or it cleared at its source). Incremental and never rebuilt by
    --full-refresh (full_refresh: false): resolved items are kept for good. It keeps no text of the
    item itself (a rejected line can hold a person's data, and this table is never rebuilt):
    fct_quarantined_items takes that from the item while it is kept aside. -#}
{{ config(
    materialized='incremental',
    unique_key='item_id',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

current_items as (
    select * from {{ ref('int_quarantined_items_unioned') }}
),

files as (
    select * from {{ ref('stg_landing__files') }}
),

paths as (
    select
        file_path,
        max(loaded_at) as last_loaded_at
    from files
    group by file_path
),

previous as (
    {%- if is_incremental() %}
    select * from {{ this }}
    {%- else %}
        select
            null::varchar as item_id,
            null::varchar as item_key,
            null::varchar as item_type,
            null::varchar as kind,
            null::varchar as reason,
            null::varchar as record_id,
            null::varchar as source_file_path,
            null::bigint as source_line_number,
            null::timestamp as first_seen_at,
            null::timestamp as last_seen_at,
            null::timestamp as resolved_at,
            null::varchar as resolution,
            null::varchar as item_status
        where false
    {%- endif %}
),

open_before as (
    select * from previous
    where resolved_at is null
),

opened as (
    select
        current_items.item_key || '@'
        || strftime({{ build_started_at() }}, '%Y-%m-%dT%H:%M:%S.%f') as item_id,
        current_items.item_key,
        current_items.item_type,
        current_items.kind,
        current_items.reason,
        current_items.record_id,
        current_items.source_file_path,
        current_items.source_line_number,
        current_items.first_seen_at,
        {{ build_started_at() }} as last_seen_at,
        null::timestamp as resolved_at,
        null::varchar as resolution,
        'open' as item_status
    from current_items
    left join open_before on current_items.item_key = open_before.item_key
    where open_before.item_key is null
),

still_open as (
    -- What the item says is taken from its source now; when it was first seen is kept.
    select
        open_before.item_id,
        current_items.item_key,
        current_items.item_type,
        current_items.kind,
        current_items.reason,
        current_items.record_id,
        current_items.source_file_path,
        current_items.source_line_number,
        open_before.first_seen_at,
        {{ build_started_at() }} as last_seen_at,
        null::timestamp as resolved_at,
        null::varchar as resolution,
        'open' as item_status
    from open_before
    inner join current_items on open_before.item_key = current_items.item_key
),

resolved as (
    select
        open_before.item_id,
        open_before.item_key,
        open_before.item_type,
        open_before.kind,
        open_before.reason,
        open_before.record_id,
        open_before.source_file_path,
        open_before.source_line_number,
        open_before.first_seen_at,
        open_before.last_seen_at,
        {{ build_started_at() }} as resolved_at,
        case
            when paths.last_loaded_at > open_before.first_seen_at then 'replaced_by_later_file'
            else 'cleared_at_source'
        end as resolution,
        'resolved' as item_status
    from open_before
    left join current_items on open_before.item_key = current_items.item_key
    left join paths on open_before.source_file_path = paths.file_path
    where current_items.item_key is null
),

final as (
    select * from opened
    union all
    select * from still_open
    union all
    select * from resolved
)

select * from final
