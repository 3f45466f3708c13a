{#- The scorecard's history: every build's measure of every scorecard metric, overall and per
    dimension value, one snapshot per day (the factory's as-of date). Incremental and never rebuilt
    by --full-refresh (full_refresh: false): the history outlives the marts it was measured on. A
    second build on the same day replaces that day's snapshot (delete+insert on snapshot_date). -#}
{{ config(
    materialized='incremental',
    unique_key='snapshot_date',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

lead_values as (
    select * from {{ ref('int_scorecard_lead_values') }}
),

case_values as (
    select * from {{ ref('int_scorecard_case_values') }}
),

enrichment_values as (
    select * from {{ ref('int_scorecard_enrichment_values') }}
),

matching_values as (
    select * from {{ ref('int_scorecard_matching_values') }}
),

quarantine_values as (
    select * from {{ ref('int_scorecard_quarantine_values') }}
),

drift_values as (
    select * from {{ ref('int_scorecard_drift_values') }}
),

measured as (
    select * from lead_values
    union all
    select * from case_values
    union all
    select * from enrichment_values
    union all
    select * from matching_values
    union all
    select * from quarantine_values
    union all
    select * from drift_values
),

final as (
    select
        concat_ws(
            '|', {{ factory_as_of() }}::date, metric_name, dimension_name, dimension_value
        ) as snapshot_key,
        {{ factory_as_of() }}::date as snapshot_date,
        {{ build_started_at() }} as snapshotted_at,
        metric_name,
        dimension_name,
        dimension_value,
        metric_value,
        observations
    from measured
)

select * from final
