{#- The scorecard's headline metrics in force (var scorecard_metrics, with its overrides and extra
    metrics), each with its owner team, direction, target and tolerance, for BI tools to join to
    (metric_name). -#}
with

metrics as (
    {{ scorecard_metric_rows() }}
),

final as (
    select
        metric_name,
        metric_order,
        label,
        description,
        unit,
        owner_team,
        direction,
        target,
        tolerance
    from metrics
)

select * from final
