{#- How often the matching model agrees with reviewers' decisions, taken as labels: the model's own
    answer (before a decision overrides it) against the decision (int_match_decisions_compared). -#}
with

labels as (
    select * from {{ ref('int_match_decisions_compared') }}
),

final as (
    select
        label_kind,
        count(*) as label_count,
        count(*) filter (where is_agreement) as agreement_count,
        count(*) filter (where is_labelled_match and is_model_match) as true_positive_count,
        count(*) filter (where not is_labelled_match and is_model_match) as false_positive_count,
        count(*) filter (where is_labelled_match and not is_model_match) as false_negative_count,
        avg(is_agreement::integer)::double as accuracy,
        (
            count(*) filter (where is_labelled_match and is_model_match)
            / nullif(count(*) filter (where is_model_match), 0)
        )::double as model_precision,
        (
            count(*) filter (where is_labelled_match and is_model_match)
            / nullif(count(*) filter (where is_labelled_match), 0)
        )::double as model_recall,
        {{ factory_as_of() }} as measured_at
    from labels
    group by label_kind
)

select * from final
