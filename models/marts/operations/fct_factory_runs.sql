{#- Every run of the main job: when it started (its clock), how far it got, how it ended, how
    often it had to be resumed and how long it took. A view, so it always shows the ledger as it is
    now (the run that builds it is still running). -#}
{{ config(materialized='view') }}

with

runs as (
    select * from {{ ref('stg_factory__runs') }}
),

final as (
    select
        run_id,
        started_at,
        verb,
        stage,
        status,
        attempts,
        attempts > 1 as was_resumed,
        last_attempt_at,
        finished_at,
        date_diff('second', last_attempt_at, finished_at) as last_attempt_seconds,
        failure
    from runs
)

select * from final
