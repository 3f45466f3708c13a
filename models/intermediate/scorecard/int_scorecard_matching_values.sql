{#- The scorecard's matching metrics as measured now, overall and per kind of label: the matching
    model's precision and recall against reviewers' decisions taken as labels (the semantic
    layer's metrics of the same names, over rpt_match_label_accuracy). -#}
with

labels as (
    select * from {{ ref('rpt_match_label_accuracy') }}
),

sliced as (
    -- Every kind of label once per breakdown: the whole factory and the kind. The whole factory
    -- has a row even before there is any label, so its value reads as no data.
    select
        'all' as dimension_name,
        'all' as dimension_value,
        coalesce(sum(true_positive_count), 0) as true_positives,
        coalesce(sum(false_positive_count), 0) as false_positives,
        coalesce(sum(false_negative_count), 0) as false_negatives
    from labels
    union all
    select
        'label_kind' as dimension_name,
        label_kind as dimension_value,
        true_positive_count as true_positives,
        false_positive_count as false_positives,
        false_negative_count as false_negatives
    from labels
),

final as (
    select
        'matching_precision' as metric_name,
        dimension_name,
        dimension_value,
        (true_positives / nullif(true_positives + false_positives, 0))::double as metric_value,
        (true_positives + false_positives)::bigint as observations
    from sliced
    union all
    select
        'matching_recall' as metric_name,
        dimension_name,
        dimension_value,
        (true_positives / nullif(true_positives + false_negatives, 0))::double as metric_value,
        (true_positives + false_negatives)::bigint as observations
    from sliced
)

select * from final
