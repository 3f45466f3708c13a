{#- The semantic layer's time spine: one row per day from 2020 to 2035, so MetricFlow can place
    every metric on a day, week or month, days without events included. -#}
with

days as (
    select unnest(generate_series(date '2020-01-01', date '2035-12-31', interval 1 day))::date as date_day
),

final as (
    select date_day from days
)

select * from final
