{#- The factory's memory of each record's lifecycle: when a build first classified it, first saw it
    converted, retired (this spell) or erased, and when its status last changed. Incremental and
    never rebuilt by --full-refresh (full_refresh: false): each build reads what the builds before it
    remembered and adds what it sees, so converted and erased are final and every time is the build
    that first saw the change. A run applied twice (a killed run resumed with its clock) leaves the
    rows as one application would: a row this run already changed keeps the status it came from. -#}
{{ config(
    materialized='incremental',
    unique_key='record_id',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

facts as (
    select * from {{ ref('int_leads_lifecycle_facts') }}
),

previous as (
    {%- if is_incremental() %}
    select * from {{ this }}
    {%- else %}
        select
            null::varchar as record_id,
            null::varchar as lifecycle_status,
            null::varchar as previous_lifecycle_status,
            null::timestamp as first_classified_at,
            null::timestamp as converted_at,
            null::timestamp as retired_at,
            null::timestamp as erased_at,
            null::timestamp as status_changed_at
        where false
    {%- endif %}
),

decided as (
    select
        facts.record_id,
        facts.retirement_reason,
        previous.record_id is not null as was_seen,
        -- The status before this run: a row this run already wrote (its status changed at this
        -- run's clock) remembers it; any other row holds it as its current status.
        case
            when previous.status_changed_at = {{ build_started_at() }} then previous.previous_lifecycle_status
            else previous.lifecycle_status
        end as previous_lifecycle_status,
        previous.first_classified_at,
        previous.converted_at as previous_converted_at,
        previous.retired_at as previous_retired_at,
        previous.erased_at as previous_erased_at,
        previous.status_changed_at as previous_status_changed_at,
        facts.has_erasure_request or previous.erased_at is not null as is_erased,
        facts.is_converted or previous.converted_at is not null as is_converted,
        case
            when facts.has_erasure_request or previous.erased_at is not null then 'erased'
            when facts.retirement_reason is not null then 'retired'
            when facts.is_converted or previous.converted_at is not null then 'converted'
            else facts.mvl_status
        end as lifecycle_status
    from facts
    left join previous on facts.record_id = previous.record_id
),

final as (
    select
        record_id,
        lifecycle_status,
        previous_lifecycle_status,
        case when lifecycle_status = 'retired' then retirement_reason end as retirement_reason,
        coalesce(first_classified_at, {{ build_started_at() }}) as first_classified_at,
        case
            when is_converted then coalesce(previous_converted_at, {{ build_started_at() }})
        end as converted_at,
        case
            when lifecycle_status = 'retired'
                then coalesce(previous_retired_at, {{ build_started_at() }})
        end as retired_at,
        case when is_erased then coalesce(previous_erased_at, {{ build_started_at() }}) end as erased_at,
        case
            when lifecycle_status != coalesce(previous_lifecycle_status, '') then {{ build_started_at() }}
            else previous_status_changed_at
        end as status_changed_at
    from decided
)

select * from final
