{#- The proof of every erasure, for the data protection officer: when the person asked, when the
    factory erased their data (every record, whichever address), how much it took, how long it took,
    and when the bytes left the disk. It holds no personal data: the address is a salted hash. A view,
    so it always shows the registry as it is now (an erasure is purged after the build that made
    it). -#}
{{ config(materialized='view') }}

with

erasures as (
    select * from {{ ref('stg_factory__erasures') }}
),

final as (
    select
        erasure_id,
        address_hash,
        request_event_key,
        requested_at,
        erased_at,
        purged_at,
        run_id,
        records_erased,
        rows_erased,
        reimports_erased,
        purged_at is not null as is_purged,
        date_diff('hour', requested_at, erased_at) as hours_to_erasure
    from erasures
)

select * from final
