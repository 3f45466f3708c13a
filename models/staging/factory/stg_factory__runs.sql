{#- The runs of the main job, as the ledger records them. -#}
{{ config(materialized='view') }}

with

runs as (
    select * from {{ source('factory', 'factory_runs') }}
),

final as (
    select
        run_id,
        started_at,
        verb,
        stage,
        status,
        attempts,
        last_attempt_at,
        finished_at,
        failure
    from runs
)

select * from final
