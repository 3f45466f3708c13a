{#- The scorecard's drift metric as measured now, overall and per compared field: the fields drifted
    from the matching model's training data (the semantic layer's matching_drifted_fields, over
    rpt_matching_drift). -#}
with

drift as (
    select * from {{ ref('rpt_matching_drift') }}
),

sliced as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        is_drifted
    from drift
    union all
    select
        'field_name' as dimension_name,
        field_name as dimension_value,
        is_drifted
    from drift
),

final as (
    select
        'matching_drifted_fields' as metric_name,
        dimension_name,
        dimension_value,
        (count(*) filter (where is_drifted))::double as metric_value,
        count(*)::bigint as observations
    from sliced
    group by dimension_name, dimension_value
)

select * from final
