{#- The scorecard: each headline metric, overall and per dimension value, with its value at this
    build, a week and a month earlier (the latest snapshot on or before), its owner team and
    target, and its status: on_target when the value meets the target, at_risk when it misses by
    no more than the tolerance, off_target beyond, no_data without a value. -#}
with

metrics as (
    select * from {{ ref('dim_scorecard_metrics') }}
),

snapshots as (
    select * from {{ ref('fct_scorecard_snapshots') }}
),

as_of as (
    select {{ factory_as_of() }}::date as snapshot_date
),

latest as (
    select snapshots.*
    from snapshots
    inner join as_of on snapshots.snapshot_date = as_of.snapshot_date
),

week_earlier as (
    select snapshots.*
    from snapshots
    cross join as_of
    where snapshots.snapshot_date <= as_of.snapshot_date - 7
    qualify row_number() over (
        partition by snapshots.metric_name, snapshots.dimension_name, snapshots.dimension_value
        order by snapshots.snapshot_date desc
    ) = 1
),

month_earlier as (
    select snapshots.*
    from snapshots
    cross join as_of
    where snapshots.snapshot_date <= as_of.snapshot_date - interval 1 month
    qualify row_number() over (
        partition by snapshots.metric_name, snapshots.dimension_name, snapshots.dimension_value
        order by snapshots.snapshot_date desc
    ) = 1
),

compared as (
    select
        metrics.*,
        latest.dimension_name,
        latest.dimension_value,
        latest.snapshot_date,
        latest.metric_value,
        latest.observations,
        week_earlier.snapshot_date as week_earlier_date,
        week_earlier.metric_value as week_earlier_value,
        month_earlier.snapshot_date as month_earlier_date,
        month_earlier.metric_value as month_earlier_value
    from metrics
    inner join latest on metrics.metric_name = latest.metric_name
    left join week_earlier
        on
            latest.metric_name = week_earlier.metric_name
            and latest.dimension_name = week_earlier.dimension_name
            and latest.dimension_value = week_earlier.dimension_value
    left join month_earlier
        on
            latest.metric_name = month_earlier.metric_name
            and latest.dimension_name = month_earlier.dimension_name
            and latest.dimension_value = month_earlier.dimension_value
),

final as (
    select
        concat_ws('|', metric_name, dimension_name, dimension_value) as scorecard_key,
        metric_name,
        metric_order,
        label,
        unit,
        owner_team,
        direction,
        target,
        tolerance,
        dimension_name,
        dimension_value,
        snapshot_date,
        metric_value,
        observations,
        -- A share's 95% interval from the count it was measured on (labels, for matching).
        case
            when unit = 'share' then {{ wilson_interval('metric_value * observations', 'observations', 'lower') }}
        end as interval_lower,
        case
            when unit = 'share' then {{ wilson_interval('metric_value * observations', 'observations', 'upper') }}
        end as interval_upper,
        week_earlier_date,
        week_earlier_value,
        metric_value - week_earlier_value as change_since_week_earlier,
        month_earlier_date,
        month_earlier_value,
        metric_value - month_earlier_value as change_since_month_earlier,
        case
            when metric_value is null then 'no_data'
            when direction = 'higher' and metric_value >= target then 'on_target'
            when direction = 'lower' and metric_value <= target then 'on_target'
            when direction = 'higher' and metric_value >= target - tolerance then 'at_risk'
            when direction = 'lower' and metric_value <= target + tolerance then 'at_risk'
            else 'off_target'
        end as status
    from compared
)

select * from final
