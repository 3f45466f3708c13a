{#- Matching accuracy against every kind of label, with its uncertainty: the gold labels
    (int_matching_gold_label_counts: pairs, person clusters, lead-to-account) and the reviewers'
    decisions (int_match_decisions_compared: decided pairs and lead accounts, against the model's
    own answer before the decisions overrode it). Each precision and recall comes with the count
    it is a share of and its 95% Wilson score interval. -#}
with

gold_counts as (
    select * from {{ ref('int_matching_gold_label_counts') }}
),

decisions as (
    select * from {{ ref('int_match_decisions_compared') }}
),

decision_counts as (
    -- Pairs: precision over the decided pairs the model joined, recall over the same_person ones.
    -- Lead accounts: like the gold labels, the share of decided leads the model got right.
    select
        'pairs' as measure,
        count(*) as labelled_count,
        count(*) filter (where is_labelled_match and is_model_match) as right_count,
        count(*) filter (where is_model_match) as precision_denominator,
        count(*) filter (where is_labelled_match) as recall_denominator
    from decisions
    where label_kind = 'person_pair'
    union all
    select
        'lead_to_account' as measure,
        count(*) as labelled_count,
        count(*) filter (where is_agreement) as right_count,
        count(*) as precision_denominator,
        count(*) as recall_denominator
    from decisions
    where label_kind = 'lead_account'
),

counts as (
    select
        'gold_labels' as label_source,
        *
    from gold_counts
    union all
    select
        'review_decisions' as label_source,
        *
    from decision_counts
),

scores as (
    select
        *,
        right_count / nullif(precision_denominator, 0) as precision_score,
        right_count / nullif(recall_denominator, 0) as recall_score
    from counts
),

final as (
    select
        label_source,
        measure,
        labelled_count::bigint as labelled_count,
        precision_score::double as precision_score,
        recall_score::double as recall_score,
        (2 * precision_score * recall_score / nullif(precision_score + recall_score, 0))::double as f1_score,
        precision_denominator::bigint as precision_denominator,
        {{ wilson_interval('right_count', 'precision_denominator', 'lower') }} as precision_lower,
        {{ wilson_interval('right_count', 'precision_denominator', 'upper') }} as precision_upper,
        recall_denominator::bigint as recall_denominator,
        {{ wilson_interval('right_count', 'recall_denominator', 'lower') }} as recall_lower,
        {{ wilson_interval('right_count', 'recall_denominator', 'upper') }} as recall_upper
    from scores
)

select * from final
