{#- The erasures the factory honoured: the registry's proof rows. -#}
{{ config(materialized='view') }}

with

erasures as (
    select * from {{ source('factory', 'erasures') }}
),

final as (
    select
        erasure_id,
        address_hash,
        request_event_key,
        requested_at,
        erased_at,
        run_id,
        records_erased,
        rows_erased,
        reimports_erased,
        purged_at
    from erasures
)

select * from final
